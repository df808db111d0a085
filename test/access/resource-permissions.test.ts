// Resource permissions (docs/access-control.md): a user or team made Edit or Admin of one service
// account manages that account and its tokens, only that one, until it is taken away; a team's
// Member/Admin levels are its memberships. Grafana's paths, bodies and messages, as Terraform's
// grafana_service_account_permission(_item) calls them. Refused requests change nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';
import { dumpTables } from '../helpers/dump.ts';
import { makeOrg, makeUser } from '../oncall/fixtures.ts';

describe('Grafana /api/access-control/serviceaccounts/:id and /teams/:teamId', () => {
  let t: TestRoster;
  let viewer: { id: number; creds: Creds };
  let other: { id: number; creds: Creds };
  let saOne: number;
  let saTwo: number;
  let teamId: number;
  let otherOrg: number;

  const refused = async (status: number, call: () => Promise<{ status: number; text: string; body: any }>) => {
    const before = await dumpTables(t.roster.ctx.db);
    const r = await call();
    assert.equal(r.status, status, r.text);
    assert.equal(await dumpTables(t.roster.ctx.db), before);
    return r;
  };
  const setUser = (sa: number, userId: number, permission: unknown, creds: Creds = t.admin) =>
    t.request('POST', `/api/access-control/serviceaccounts/${sa}/users/${userId}`, { ...creds, body: { permission } });
  const newSa = async (name: string) => {
    const r = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name, role: 'Viewer' } });
    assert.equal(r.status, 201, r.text);
    return r.body.id as number;
  };

  before(async () => {
    t = await startRoster();
    viewer = await makeUser(t, 'rp-viewer', 'Viewer').then((u) => ({ id: u.id, creds: { basic: u.basic } }));
    other = await makeUser(t, 'rp-other', 'None').then((u) => ({ id: u.id, creds: { basic: u.basic } }));
    saOne = await newSa('rp-one');
    saTwo = await newSa('rp-two');
    const team = await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'RP team' } });
    teamId = team.body.teamId;
    otherOrg = await makeOrg(t, 'RP Elsewhere');
  });
  after(() => t.close());

  it('a Viewer made Edit of one service account manages it and its tokens, not another; "" takes it away', async () => {
    await refused(403, () => t.request('GET', `/api/serviceaccounts/${saOne}`, viewer.creds));
    const r = await setUser(saOne, viewer.id, 'Edit');
    assert.deepEqual([r.status, r.body], [200, { message: 'Permission updated' }]);
    assert.equal((await t.request('GET', `/api/serviceaccounts/${saOne}`, viewer.creds)).status, 200);
    const patch = await t.request('PATCH', `/api/serviceaccounts/${saOne}`, { ...viewer.creds, body: { name: 'rp-one-renamed' } });
    assert.equal(patch.status, 200, patch.text);
    const token = await t.request('POST', `/api/serviceaccounts/${saOne}/tokens`, { ...viewer.creds, body: { name: 'rp-token' } });
    assert.equal(token.status, 200, token.text);
    // Edit is not Admin: no delete, no managing permissions; and nothing on the other account.
    await refused(403, () => t.request('DELETE', `/api/serviceaccounts/${saOne}`, viewer.creds));
    await refused(403, () => setUser(saOne, other.id, 'Edit', viewer.creds));
    await refused(403, () => t.request('GET', `/api/serviceaccounts/${saTwo}`, viewer.creds));
    await refused(403, () => t.request('POST', `/api/serviceaccounts/${saTwo}/tokens`, { ...viewer.creds, body: { name: 'nope' } }));
    // The search stays org-wide: a permission on one account does not list the org's accounts.
    await refused(403, () => t.request('GET', '/api/serviceaccounts/search', viewer.creds));

    const list = await t.request('GET', `/api/access-control/serviceaccounts/${saOne}`, t.admin);
    assert.equal(list.status, 200, list.text);
    const entry = list.body.find((e: { userId?: number }) => e.userId === viewer.id);
    assert.equal(entry.permission, 'Edit');
    assert.deepEqual(entry.actions.sort(), ['serviceaccounts:read', 'serviceaccounts:write']);
    assert.ok(list.body.some((e: { builtInRole?: string }) => e.builtInRole === 'Admin'));

    assert.equal((await setUser(saOne, viewer.id, '')).status, 200);
    await refused(403, () => t.request('GET', `/api/serviceaccounts/${saOne}`, viewer.creds));
    // Both changes are in the audit trail, with the level before and after.
    const events = await t.roster.ctx.db
      .selectFrom('audit_events')
      .select(['before', 'after'])
      .where('action', '=', 'resource-permission.set')
      .where('object_id', '=', `serviceaccounts:id:${saOne}:user:${viewer.id}`)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      events.map((e) => [e.before, e.after]),
      [
        [null, '{"permission":"Edit"}'],
        ['{"permission":"Edit"}', null],
      ],
    );
    const after = await t.request('GET', `/api/access-control/serviceaccounts/${saOne}`, t.admin);
    assert.equal(
      after.body.find((e: { userId?: number }) => e.userId === viewer.id),
      undefined,
    );
  });

  it('a team made Admin of a service account lets its members delete it, only while they are members', async () => {
    const sa = await newSa('rp-team-sa');
    const member = await makeUser(t, 'rp-team-member', 'None');
    const creds = { basic: member.basic };
    const r = await t.request('POST', `/api/access-control/serviceaccounts/${sa}/teams/${teamId}`, { ...t.admin, body: { permission: 'Admin' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Permission updated' }]);
    await refused(403, () => t.request('GET', `/api/serviceaccounts/${sa}`, creds));
    assert.equal((await t.request('POST', `/api/teams/${teamId}/members`, { ...t.admin, body: { userId: member.id } })).status, 200);
    assert.equal((await t.request('GET', `/api/access-control/serviceaccounts/${sa}`, creds)).status, 200);
    assert.equal((await t.request('DELETE', `/api/teams/${teamId}/members/${member.id}`, t.admin)).status, 200);
    await refused(403, () => t.request('DELETE', `/api/serviceaccounts/${sa}`, creds));
    assert.equal((await t.request('POST', `/api/teams/${teamId}/members`, { ...t.admin, body: { userId: member.id } })).status, 200);
    assert.equal((await t.request('DELETE', `/api/serviceaccounts/${sa}`, creds)).status, 200);
    // The account's permissions went with it.
    const left = await t.roster.ctx.db.selectFrom('role_permissions').select('scope').where('scope', '=', `serviceaccounts:id:${sa}`).execute();
    assert.deepEqual(left, []);
  });

  it('bad levels are 400; unknown or foreign accounts, users and teams 404; a plain member 403; store unchanged', async () => {
    const bad = await refused(400, () => setUser(saOne, viewer.id, 'Owner'));
    assert.equal(bad.body.message, 'invalid permission');
    await refused(404, () => setUser(999999, viewer.id, 'Edit'));
    await refused(404, () => setUser(saOne, 999999, 'Edit'));
    await refused(404, () => t.request('POST', `/api/access-control/serviceaccounts/${saOne}/teams/999999`, { ...t.admin, body: { permission: 'Edit' } }));
    const inOther: Creds = { ...t.admin, headers: { 'x-grafana-org-id': String(otherOrg) } };
    await refused(404, () => t.request('GET', `/api/access-control/serviceaccounts/${saOne}`, inOther));
    // A user of another org only is unknown here.
    const outsider = await makeUser(t, 'rp-outsider', 'Viewer', otherOrg);
    await refused(404, () => setUser(saOne, outsider.id, 'Edit'));
    await refused(403, () => setUser(saOne, viewer.id, 'Admin', other.creds));
    await refused(403, () => t.request('GET', `/api/access-control/serviceaccounts/${saOne}`, viewer.creds));
  });

  it('the bulk form sets several users and teams at once', async () => {
    const sa = await newSa('rp-bulk');
    const r = await t.request('POST', `/api/access-control/serviceaccounts/${sa}`, {
      ...t.admin,
      body: {
        permissions: [
          { userId: viewer.id, permission: 'Admin' },
          { teamId, permission: 'Edit' },
        ],
      },
    });
    assert.equal(r.status, 200, r.text);
    const list = (await t.request('GET', `/api/access-control/serviceaccounts/${sa}`, t.admin)).body;
    assert.equal(list.find((e: { userId?: number }) => e.userId === viewer.id).permission, 'Admin');
    assert.equal(list.find((e: { teamId?: number }) => e.teamId === teamId).permission, 'Edit');
  });

  it('team permissions are the team\'s memberships: Member, Admin, and "" to take the user out', async () => {
    const member = await makeUser(t, 'rp-team-perm', 'Viewer');
    const set = (permission: unknown, creds: Creds = t.admin) => t.request('POST', `/api/access-control/teams/${teamId}/users/${member.id}`, { ...creds, body: { permission } });
    await refused(403, () => set('Admin', { basic: member.basic }));
    assert.deepEqual((await set('Member')).body, { message: 'Permission updated' });
    const listed = async () => (await t.request('GET', `/api/access-control/teams/${teamId}`, t.admin)).body.find((e: { userId?: number }) => e.userId === member.id);
    assert.equal((await listed()).permission, 'Member');
    assert.equal((await set('Admin')).status, 200);
    assert.equal((await listed()).permission, 'Admin');
    // As the team's Admin, the user now manages the team.
    assert.equal((await t.request('PUT', `/api/teams/${teamId}`, { basic: member.basic, body: { name: 'RP team' } })).status, 200);
    assert.equal((await set('')).status, 200);
    assert.equal(await listed(), undefined);
    await refused(400, () => set('Edit'));
    await refused(404, () => t.request('POST', `/api/access-control/teams/999999/users/${member.id}`, { ...t.admin, body: { permission: 'Member' } }));
  });
});
