// docs/compat/grafana.md#teams: PUT /api/teams/:id/members (Grafana's SetTeamMemberships) replaces
// a team's members and admins in one change.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';

describe('Grafana PUT /api/teams/:id/members', () => {
  let t: TestRoster;
  let teamId: number;
  let orgB: number;
  const ids: Record<string, number> = {};
  const creds = (login: string): Creds => ({ basic: [login, `${login}-password`] });

  const members = async (id = teamId) => {
    const r = await t.request('GET', `/api/teams/${id}/members`, t.admin);
    assert.equal(r.status, 200, r.text);
    return (r.body as any[]).map((m) => [m.login, m.permission]).sort();
  };
  const set = (body: unknown, who: Creds = t.admin, id = teamId) => t.request('PUT', `/api/teams/${id}/members`, { ...who, body });

  before(async () => {
    t = await startRoster();
    for (const login of ['amy', 'ben', 'cat', 'dan']) {
      ids[login] = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, password: `${login}-password` } })).body.id;
    }
    orgB = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Org B' } })).body.orgId;
    // Outsider: only in org B.
    ids.out = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'out', email: 'out@example.com', password: 'out-password', orgId: orgB } })).body.id;
    await t.request('DELETE', `/api/orgs/1/users/${ids.out}`, t.admin);
    teamId = (await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'Core' } })).body.teamId;
    await t.request('POST', `/api/teams/${teamId}/members`, { ...t.admin, body: { userId: ids.dan } });
  });
  after(() => t.close());

  it('replaces members and admins, by login or email, in one call; a name in both lists is an admin', async () => {
    const r = await set({ members: ['amy', 'ben@example.com', 'cat'], admins: ['cat@example.com'] });
    assert.deepEqual([r.status, r.body], [200, { message: 'Team memberships have been updated' }]);
    assert.deepEqual(await members(), [
      ['amy', 0],
      ['ben', 0],
      ['cat', 4],
    ]);
    await set({ members: ['ben'], admins: ['amy'] });
    assert.deepEqual(await members(), [
      ['amy', 4],
      ['ben', 0],
    ]);
    const audited = await t.roster.ctx.db.selectFrom('audit_events').select('action').where('object_type', '=', 'team-member').execute();
    assert.ok(audited.filter((a) => a.action === 'team.member.remove').length >= 2);
    assert.ok(audited.some((a) => a.action === 'team.member.update'));
  });

  it('an empty body empties the team; null lists count as absent', async () => {
    await set({ members: ['amy'] });
    assert.equal((await set({ members: null, admins: null })).status, 200);
    assert.deepEqual(await members(), []);
  });

  it('all or nothing: an unknown user, or one outside the team’s org, is 404 and changes nothing', async () => {
    await set({ members: ['amy', 'ben'] });
    for (const bad of ['nobody@example.com', 'out', 'out@example.com']) {
      const r = await set({ members: ['cat', bad], admins: ['dan'] });
      assert.deepEqual([r.status, r.body], [404, { message: 'user not found' }], bad);
      assert.deepEqual(await members(), [
        ['amy', 0],
        ['ben', 0],
      ]);
    }
  });

  it('bad bodies are 400 "bad request data"; unknown and foreign teams are 404; members without the permission are 403', async () => {
    for (const body of [{ members: 'amy' }, { members: [1] }, { admins: [{}] }]) {
      const r = await set(body);
      assert.deepEqual([r.status, r.body], [400, { message: 'bad request data' }], JSON.stringify(body));
    }
    assert.deepEqual((await set({ members: [] }, t.admin, 999999)).body, { message: 'Team not found' });
    const foreign = (await t.request('POST', '/api/teams', { ...t.admin, headers: { 'x-grafana-org-id': String(orgB) }, body: { name: 'B team' } })).body.teamId;
    assert.equal((await set({ members: [] }, t.admin, foreign)).status, 404, 'a team of another org is unknown here');
    const r = await set({ members: ['amy', 'ben', 'cat'] }, creds('amy'));
    assert.equal(r.status, 403);
    assert.deepEqual(await members(), [
      ['amy', 0],
      ['ben', 0],
    ]);
  });

  it('a team admin (not an org Admin) may set the team’s memberships', async () => {
    await set({ members: ['ben'], admins: ['amy'] });
    const r = await set({ members: ['ben', 'cat'], admins: ['amy'] }, creds('amy'));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await members(), [
      ['amy', 4],
      ['ben', 0],
      ['cat', 0],
    ]);
  });
});
