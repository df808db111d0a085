// docs/sso.md#team-sync and docs/compat/grafana.md#team-sync: Grafana's team groups API, and the
// memberships team sync makes and removes at each single sign-on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { signInOverHttp, startProvider, type TestProvider } from '../helpers/oidc.ts';

const PUBLIC = 'http://roster.test';

describe('team sync', () => {
  let op: TestProvider;
  let t: TestRoster;
  let devs: number;
  let ops: number;
  /** The team's members but admin (its creator, a member of every team here). */
  const members = async (teamId: number) =>
    ((await t.request('GET', `/api/teams/${teamId}/members`, t.admin)).body as { login: string }[])
      .map((m) => m.login)
      .filter((l) => l !== 'admin')
      .sort();

  before(async () => {
    op = await startProvider(`${PUBLIC}/login/generic_oauth`);
    t = await startRoster(op.env({ ROSTER_PUBLIC_URL: PUBLIC, ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH: 'groups' }));
    devs = (await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'Devs' } })).body.teamId;
    ops = (await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'Ops' } })).body.teamId;
  });
  after(async () => {
    await t.close();
    await op.close();
  });

  it('POST, GET and DELETE /api/teams/:id/groups answer as Grafana', async () => {
    const add = await t.request('POST', `/api/teams/${devs}/groups`, { ...t.admin, body: { groupId: 'cn=devs,ou=groups' } });
    assert.equal(add.status, 200, add.text);
    assert.deepEqual(add.body, { message: 'Group added to Team' });
    const again = await t.request('POST', `/api/teams/${devs}/groups`, { ...t.admin, body: { groupId: 'cn=devs,ou=groups' } });
    assert.equal(again.status, 400);
    assert.equal(again.body.message, 'Group is already added to this team');
    const list = await t.request('GET', `/api/teams/${devs}/groups`, t.admin);
    assert.deepEqual(list.body, [{ orgId: 1, teamId: devs, groupId: 'cn=devs,ou=groups' }]);
    const del = await t.request('DELETE', `/api/teams/${devs}/groups?groupId=${encodeURIComponent('cn=devs,ou=groups')}`, t.admin);
    assert.equal(del.status, 200);
    assert.deepEqual(del.body, { message: 'Team Group removed' });
    assert.deepEqual((await t.request('GET', `/api/teams/${devs}/groups`, t.admin)).body, []);
    const gone = await t.request('DELETE', `/api/teams/${devs}/groups?groupId=nope`, t.admin);
    assert.equal(gone.status, 404);
    assert.equal((await t.request('DELETE', `/api/teams/${devs}/groups`, t.admin)).status, 400);
    assert.equal((await t.request('POST', `/api/teams/${devs}/groups`, { ...t.admin, body: { groupId: '  ' } })).status, 400);
    const noTeam = await t.request('GET', '/api/teams/99999/groups', t.admin);
    assert.equal(noTeam.status, 404);
    assert.equal(noTeam.body.message, 'Team not found');
  });

  it('only those who may edit the team edit its groups; its members read them', async () => {
    await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'viewer', email: 'viewer@example.com', password: 'viewer-password' } });
    const viewer = { basic: ['viewer', 'viewer-password'] as [string, string] };
    const r = await t.request('POST', `/api/teams/${ops}/groups`, { ...viewer, body: { groupId: 'ops' } });
    assert.equal(r.status, 403);
    assert.equal((await t.request('GET', `/api/teams/${ops}/groups`, viewer)).status, 403);
    const audit = await t.request('GET', '/api/roster/v1/audit?action=team.group.add', t.admin);
    assert.equal(audit.body.events.length, 1);
  });

  it('at each sign-in the groups claim adds the user to linked teams and removes them from those whose groups they lost', async () => {
    for (const [team, group] of [
      [devs, 'devs'],
      [ops, 'ops'],
      [ops, 'sre'],
    ] as const) {
      assert.equal((await t.request('POST', `/api/teams/${team}/groups`, { ...t.admin, body: { groupId: group } })).status, 200);
    }
    op.accounts.set('sub-sam', { email: 'sam@example.com', preferred_username: 'sam', groups: ['devs'] });
    await signInOverHttp(t, op, 'sub-sam');
    assert.deepEqual(await members(devs), ['sam']);
    assert.deepEqual(await members(ops), []);

    op.accounts.set('sub-sam', { email: 'sam@example.com', preferred_username: 'sam', groups: ['sre'] });
    await signInOverHttp(t, op, 'sub-sam');
    assert.deepEqual(await members(devs), []);
    assert.deepEqual(await members(ops), ['sam']);
  });

  it('a member added by hand stays when their groups do not name the team', async () => {
    op.accounts.set('sub-kim', { email: 'kim@example.com', preferred_username: 'kim', groups: [] });
    const first = await signInOverHttp(t, op, 'sub-kim');
    const kim = (await t.request('GET', '/api/user', { cookie: first.cookie })).body.id;
    assert.equal((await t.request('POST', `/api/teams/${devs}/members`, { ...t.admin, body: { userId: kim } })).status, 200);
    await signInOverHttp(t, op, 'sub-kim');
    assert.deepEqual(await members(devs), ['kim']);
  });
});
