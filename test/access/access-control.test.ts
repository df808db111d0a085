// Access control as data (docs/access-control.md): Grafana's custom roles and their assignments,
// the one policy evaluating them on every face, and the abuse cases: a None member escalating by
// self-assignment, a foreign org's role uid, a team role after leaving the team, a role deleted
// while assigned, leaving the org and coming back. Refused requests leave the store unchanged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';
import { dumpTables } from '../helpers/dump.ts';
import { makeOrg, makeToken, makeUser } from '../oncall/fixtures.ts';

describe('Grafana /api/access-control roles and assignments', () => {
  let t: TestRoster;
  let none: { id: number; creds: Creds };
  let editor: { id: number; creds: Creds };
  let viewer: { id: number; creds: Creds };
  let otherOrg: number;
  let teamId: number;
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;

  const dump = () => dumpTables(t.roster.ctx.db);
  /** Asserts the call is refused with `status` and changes nothing. */
  const refused = async (status: number, call: () => Promise<{ status: number; text: string; body: any }>) => {
    const before = await dump();
    const r = await call();
    assert.equal(r.status, status, r.text);
    assert.equal(await dump(), before);
    return r;
  };
  const createRole = async (permissions: { action: string; scope?: string }[], creds: Creds = t.admin, extra: Record<string, unknown> = {}) => {
    const r = await t.request('POST', '/api/access-control/roles', { ...creds, body: { name: unique('custom:role'), permissions, ...extra } });
    assert.equal(r.status, 201, r.text);
    return r.body as { uid: string; name: string; version: number };
  };
  const assignUser = (userId: number, roleUid: string, creds: Creds = t.admin) => t.request('POST', `/api/access-control/users/${userId}/roles`, { ...creds, body: { roleUid } });
  const listTeams = (creds: Creds) => t.request('GET', '/api/teams/search', creds);

  before(async () => {
    t = await startRoster();
    none = await makeUser(t, 'ac-none', 'None').then((u) => ({ id: u.id, creds: { basic: u.basic } }));
    editor = await makeUser(t, 'ac-editor', 'Editor').then((u) => ({ id: u.id, creds: { basic: u.basic } }));
    viewer = await makeUser(t, 'ac-viewer', 'Viewer').then((u) => ({ id: u.id, creds: { basic: u.basic } }));
    otherOrg = await makeOrg(t, 'Access Elsewhere');
    const team = await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'Access team' } });
    assert.equal(team.status, 200, team.text);
    teamId = team.body.teamId;
  });
  after(() => t.close());

  it('creates, reads, lists, updates (version must increase) and deletes a custom role with Grafana fields', async () => {
    const created = await t.request('POST', '/api/access-control/roles', {
      ...t.admin,
      body: {
        uid: 'team-reader',
        name: 'custom:teams:reader',
        displayName: 'Team reader',
        description: 'Reads teams',
        group: 'Teams',
        version: 1,
        permissions: [{ action: 'teams:read', scope: 'teams:*' }],
      },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.uid, 'team-reader');
    assert.equal(created.body.global, false);
    assert.deepEqual(
      created.body.permissions.map((p: { action: string; scope: string }) => [p.action, p.scope]),
      [['teams:read', 'teams:*']],
    );
    const got = await t.request('GET', '/api/access-control/roles/team-reader', t.admin);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.displayName, 'Team reader');
    const list = await t.request('GET', '/api/access-control/roles', t.admin);
    assert.ok(list.body.some((r: { uid: string }) => r.uid === 'team-reader'));
    await refused(400, () => t.request('PUT', '/api/access-control/roles/team-reader', { ...t.admin, body: { version: 1, name: 'custom:teams:reader', permissions: [] } }));
    const updated = await t.request('PUT', '/api/access-control/roles/team-reader', {
      ...t.admin,
      body: {
        version: 2,
        name: 'custom:teams:reader',
        permissions: [
          { action: 'teams:read', scope: 'teams:*' },
          { action: 'teams:write', scope: 'teams:*' },
        ],
      },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.version, 2);
    assert.equal(updated.body.permissions.length, 2);
    await refused(409, () => t.request('POST', '/api/access-control/roles', { ...t.admin, body: { uid: 'team-reader', name: 'another', permissions: [] } }));
    const del = await t.request('DELETE', '/api/access-control/roles/team-reader', t.admin);
    assert.deepEqual([del.status, del.body], [200, { message: 'Role deleted' }]);
    await refused(404, () => t.request('GET', '/api/access-control/roles/team-reader', t.admin));
  });

  it('refuses unknown actions and scopes, reserved names and global roles from org admins with 400/403, store unchanged', async () => {
    const post =
      (body: unknown, creds: Creds = t.admin) =>
      () =>
        t.request('POST', '/api/access-control/roles', { ...creds, body });
    const bad = await refused(400, post({ name: 'x', permissions: [{ action: 'dashboards:fly', scope: '' }] }));
    assert.equal(bad.body.message, 'unknown action "dashboards:fly"');
    await refused(400, post({ name: 'x', permissions: [{ action: 'teams:read', scope: 'planets:*' }] }));
    await refused(400, post({ name: 'x', permissions: [{ action: 'users:read', scope: 'global.users:*' }] }));
    await refused(400, post({ name: 'fixed:teams:reader', permissions: [] }));
    await refused(400, post({ permissions: [] }));
    const orgAdmin = await makeUser(t, unique('ac-admin'), 'Admin');
    await refused(403, post({ name: 'x', global: true, permissions: [] }, { basic: orgAdmin.basic }));
    const global = await createRole([{ action: 'teams:read', scope: 'teams:*' }], t.admin, { global: true });
    assert.equal((await t.request('GET', `/api/access-control/roles/${global.uid}`, { basic: orgAdmin.basic })).body.global, true);
  });

  it('a None member may not assign themselves a role (403, store unchanged); once an admin does, they list teams on Grafana', async () => {
    const role = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    await refused(403, () => listTeams(none.creds));
    const self = await refused(403, () => assignUser(none.id, role.uid, none.creds));
    assert.match(self.body.message, /Permissions needed: users\.roles:add$/);
    await refused(403, () => t.request('POST', '/api/access-control/roles', { ...none.creds, body: { name: 'mine', permissions: [{ action: 'teams:read', scope: 'teams:*' }] } }));
    const r = await assignUser(none.id, role.uid);
    assert.deepEqual([r.status, r.body], [200, { message: 'Role added to the user.' }]);
    const teams = await listTeams(none.creds);
    assert.equal(teams.status, 200, teams.text);
    assert.ok(teams.body.teams.some((x: { id: number }) => x.id === teamId));
    const mine = await t.request('GET', `/api/access-control/users/${none.id}/roles`, t.admin);
    assert.deepEqual(
      mine.body.map((x: { uid: string }) => x.uid),
      [role.uid],
    );
    // Still nothing beyond the role: no team writes.
    await refused(403, () => t.request('PUT', `/api/teams/${teamId}`, { ...none.creds, body: { name: 'Renamed' } }));
    const off = await t.request('DELETE', `/api/access-control/users/${none.id}/roles/${role.uid}`, t.admin);
    assert.deepEqual([off.status, off.body], [200, { message: 'Role removed from user.' }]);
    await refused(403, () => listTeams(none.creds));
  });

  it('nobody hands out more than they hold: an Editor allowed to assign roles may not assign one granting org.users:write', async () => {
    const assigner = await createRole([
      { action: 'users.roles:add', scope: 'users:*' },
      { action: 'users.roles:read', scope: 'users:*' },
    ]);
    assert.equal((await assignUser(editor.id, assigner.uid)).status, 200);
    const strong = await createRole([{ action: 'org.users:write', scope: 'users:*' }]);
    const r = await refused(403, () => assignUser(viewer.id, strong.uid, editor.creds));
    assert.equal(r.body.message, 'Cannot grant permissions the signed-in user does not hold: org.users:write');
    await refused(403, () => assignUser(editor.id, strong.uid, editor.creds));
    // What the Editor holds may be passed on.
    const weak = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    assert.equal((await assignUser(viewer.id, weak.uid, editor.creds)).status, 200);
    // And an Editor may not define a role above themselves either.
    await refused(403, () => t.request('POST', '/api/access-control/roles', { ...editor.creds, body: { name: 'x', permissions: [{ action: 'org.users:write', scope: 'users:*' }] } }));
  });

  it("another org's role uid is unknown here: 404 on read, assignment and delete, store unchanged", async () => {
    const inOther: Creds = { ...t.admin, headers: { 'x-grafana-org-id': String(otherOrg) } };
    const foreign = await createRole([{ action: 'teams:read', scope: 'teams:*' }], inOther);
    const r = await refused(404, () => assignUser(none.id, foreign.uid));
    assert.equal(r.body.message, 'Role not found');
    await refused(404, () => t.request('GET', `/api/access-control/roles/${foreign.uid}`, t.admin));
    await refused(404, () => t.request('DELETE', `/api/access-control/roles/${foreign.uid}`, t.admin));
    await refused(404, () => t.request('POST', `/api/access-control/teams/${teamId}/roles`, { ...inOther, body: { roleUid: foreign.uid } }));
    // A user of this org is unknown in the other one.
    await refused(404, () => assignUser(none.id, foreign.uid, inOther));
  });

  it('a team role reaches its members only while they are in the team', async () => {
    const member = await makeUser(t, unique('ac-member'), 'None');
    const creds = { basic: member.basic };
    const role = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    const add = await t.request('POST', `/api/access-control/teams/${teamId}/roles`, { ...t.admin, body: { roleUid: role.uid } });
    assert.deepEqual([add.status, add.body], [200, { message: 'Role added to the team.' }]);
    await refused(403, () => listTeams(creds));
    assert.equal((await t.request('POST', `/api/teams/${teamId}/members`, { ...t.admin, body: { userId: member.id } })).status, 200);
    assert.equal((await listTeams(creds)).status, 200);
    assert.equal((await t.request('DELETE', `/api/teams/${teamId}/members/${member.id}`, t.admin)).status, 200);
    await refused(403, () => listTeams(creds));
    const roles = await t.request('GET', `/api/access-control/teams/${teamId}/roles`, t.admin);
    assert.deepEqual(
      roles.body.map((x: { uid: string }) => x.uid),
      [role.uid],
    );
    const put = await t.request('PUT', `/api/access-control/teams/${teamId}/roles`, { ...t.admin, body: { roleUids: [] } });
    assert.deepEqual([put.status, put.body], [200, { message: 'Team roles have been updated.' }]);
    assert.deepEqual((await t.request('GET', `/api/access-control/teams/${teamId}/roles`, t.admin)).body, []);
  });

  it('deleting an assigned role takes its permissions away at once', async () => {
    const member = await makeUser(t, unique('ac-deleted'), 'None');
    const role = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    assert.equal((await assignUser(member.id, role.uid)).status, 200);
    assert.equal((await listTeams({ basic: member.basic })).status, 200);
    assert.equal((await t.request('DELETE', `/api/access-control/roles/${role.uid}`, t.admin)).status, 200);
    await refused(403, () => listTeams({ basic: member.basic }));
  });

  it('leaving the org ends the roles held there: coming back does not bring them back', async () => {
    const member = await makeUser(t, unique('ac-leaver'), 'None');
    const role = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    assert.equal((await assignUser(member.id, role.uid)).status, 200);
    // A member elsewhere too, so leaving this org does not delete the account.
    assert.equal((await t.request('POST', `/api/orgs/${otherOrg}/users`, { ...t.admin, body: { loginOrEmail: member.basic[0], role: 'Viewer' } })).status, 200);
    assert.equal((await t.request('DELETE', `/api/org/users/${member.id}`, t.admin)).status, 200);
    assert.equal((await t.request('POST', '/api/org/users', { ...t.admin, body: { loginOrEmail: `${member.basic[0]}@example.com`, role: 'None' } })).status, 200);
    await refused(403, () => listTeams({ basic: member.basic, headers: { 'x-grafana-org-id': '1' } }));
    assert.deepEqual((await t.request('GET', `/api/access-control/users/${member.id}/roles`, t.admin)).body, []);
  });

  it('a role given to a basic role reaches every holder of it, on the Grafana and OnCall faces; taken away, it is gone', async () => {
    const role = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    const token = await makeToken(t, 1, 'None');
    assert.equal((await t.request('GET', '/api/v1/teams/', { raw: token })).status, 403);
    const add = await t.request('POST', '/api/access-control/builtin-roles', { ...t.admin, body: { roleUid: role.uid, builtinRole: 'None' } });
    assert.deepEqual([add.status, add.body], [200, { message: 'Built-in role grant added' }]);
    const listed = await t.request('GET', '/api/access-control/builtin-roles', t.admin);
    assert.ok(listed.body.None.some((x: { uid: string }) => x.uid === role.uid));
    assert.equal((await listTeams(none.creds)).status, 200);
    const oncall = await t.request('GET', '/api/v1/teams/', { raw: token });
    assert.equal(oncall.status, 200, oncall.text);
    await refused(400, () => t.request('POST', '/api/access-control/builtin-roles', { ...t.admin, body: { roleUid: role.uid, builtinRole: 'Owner' } }));
    const del = await t.request('DELETE', `/api/access-control/builtin-roles/None/roles/${role.uid}`, t.admin);
    assert.deepEqual([del.status, del.body], [200, { message: 'Built-in role grant removed' }]);
    await refused(403, () => listTeams(none.creds));
    assert.equal((await t.request('GET', '/api/v1/teams/', { raw: token })).status, 403);
  });

  it("a role's assignments as Terraform's grafana_role_assignment sets them: users and teams by id, all or nothing", async () => {
    const role = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    const url = `/api/access-control/roles/${role.uid}/assignments`;
    const put = await t.request('PUT', url, { ...t.admin, body: { users: [none.id], teams: [teamId], service_accounts: [] } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body, { role_uid: role.uid, users: [none.id], teams: [teamId], service_accounts: [] });
    assert.equal((await listTeams(none.creds)).status, 200);
    await refused(404, () => t.request('PUT', url, { ...t.admin, body: { users: [none.id, 999999], teams: [] } }));
    await refused(404, () => t.request('PUT', url, { ...t.admin, body: { users: [2 ** 40], teams: [] } }));
    await refused(404, () => t.request('PUT', url, { ...t.admin, body: { users: [], service_accounts: [999999] } }));
    await refused(400, () => t.request('PUT', url, { ...t.admin, body: { users: [], service_accounts: ['x'] } }));
    await refused(403, () => t.request('PUT', url, { ...none.creds, body: { users: [none.id, viewer.id] } }));
    assert.equal((await t.request('PUT', url, { ...t.admin, body: { users: [], teams: [] } })).status, 200);
    assert.deepEqual((await t.request('GET', url, t.admin)).body, { role_uid: role.uid, users: [], teams: [], service_accounts: [] });
    await refused(403, () => listTeams(none.creds));
  });

  /** A service account of the caller's org whose id no member of org 1 has (Roster's ids for users and accounts may meet), with a token. */
  const makeAccount = async (role: string, creds: Creds = t.admin) => {
    const members = new Set((await t.request('GET', '/api/org/users', t.admin)).body.map((u: { userId: number }) => u.userId));
    for (;;) {
      const sa = await t.request('POST', '/api/serviceaccounts', { ...creds, body: { name: unique('ac-sa'), role } });
      assert.equal(sa.status, 201, sa.text);
      if (members.has(sa.body.id)) continue;
      const token = await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...creds, body: { name: unique('tok') } });
      assert.equal(token.status, 200, token.text);
      return { id: sa.body.id as number, token: `Bearer ${token.body.key}` };
    }
  };

  it('a service account holds custom roles through the user routes, as in Grafana: its token then lists teams on Grafana and OnCall', async () => {
    const sa = await makeAccount('None');
    const role = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    assert.equal((await listTeams({ raw: sa.token })).status, 403);
    assert.equal((await t.request('GET', '/api/v1/teams/', { raw: sa.token })).status, 403);
    const add = await assignUser(sa.id, role.uid);
    assert.deepEqual([add.status, add.body], [200, { message: 'Role added to the user.' }]);
    const teams = await listTeams({ raw: sa.token });
    assert.equal(teams.status, 200, teams.text);
    assert.ok(teams.body.teams.some((x: { id: number }) => x.id === teamId));
    assert.equal((await t.request('GET', '/api/v1/teams/', { raw: sa.token })).status, 200);
    // Only what the role grants: no team writes.
    await refused(403, () => t.request('PUT', `/api/teams/${teamId}`, { raw: sa.token, body: { name: 'Renamed' } }));
    const listed = await t.request('GET', `/api/access-control/users/${sa.id}/roles`, t.admin);
    assert.deepEqual(
      listed.body.map((x: { uid: string }) => x.uid),
      [role.uid],
    );
    const assignments = await t.request('GET', `/api/access-control/roles/${role.uid}/assignments`, t.admin);
    assert.deepEqual(assignments.body, { role_uid: role.uid, users: [], teams: [], service_accounts: [sa.id] });
    const put = await t.request('PUT', `/api/access-control/users/${sa.id}/roles`, { ...t.admin, body: { roleUids: [] } });
    assert.deepEqual([put.status, put.body], [200, { message: 'User roles have been updated.' }]);
    await refused(403, () => listTeams({ raw: sa.token }));
    assert.equal((await assignUser(sa.id, role.uid)).status, 200);
    const off = await t.request('DELETE', `/api/access-control/users/${sa.id}/roles/${role.uid}`, t.admin);
    assert.deepEqual([off.status, off.body], [200, { message: 'Role removed from user.' }]);
    await refused(403, () => listTeams({ raw: sa.token }));
    const events = await t.roster.ctx.db.selectFrom('audit_events').select(['action', 'object_id']).where('object_type', '=', 'role-assignment').execute();
    assert.ok(events.some((e) => e.action === 'role.assign' && e.object_id === `${role.uid}:service-account:${sa.id}`));
  });

  it("Terraform's service_accounts list assigns and unassigns; a foreign org's account is 404 there and on the user routes, store unchanged", async () => {
    const sa = await makeAccount('Viewer');
    const role = await createRole([{ action: 'teams:write', scope: `teams:id:${teamId}` }]);
    const url = `/api/access-control/roles/${role.uid}/assignments`;
    const put = await t.request('PUT', url, { ...t.admin, body: { users: [], teams: [], service_accounts: [sa.id] } });
    assert.deepEqual([put.status, put.body], [200, { role_uid: role.uid, users: [], teams: [], service_accounts: [sa.id] }]);
    const renamed = await t.request('PUT', `/api/teams/${teamId}`, { raw: sa.token, body: { name: 'Access team' } });
    assert.equal(renamed.status, 200, renamed.text);
    // An account of another org is unknown here, and this org's account is unknown there.
    const inOther: Creds = { ...t.admin, headers: { 'x-grafana-org-id': String(otherOrg) } };
    const foreignRole = await createRole([{ action: 'teams:read', scope: 'teams:*' }], inOther);
    const foreign = await t.request('POST', '/api/serviceaccounts', { ...inOther, body: { name: unique('ac-foreign'), role: 'None' } });
    assert.equal(foreign.status, 201, foreign.text);
    await refused(404, () => t.request('PUT', url, { ...t.admin, body: { service_accounts: [sa.id, foreign.body.id] } }));
    await refused(404, () => t.request('PUT', `/api/access-control/roles/${foreignRole.uid}/assignments`, { ...inOther, body: { service_accounts: [sa.id] } }));
    await refused(404, () => assignUser(sa.id, foreignRole.uid, inOther));
    await refused(404, () => assignUser(sa.id, foreignRole.uid));
    assert.equal((await t.request('PUT', url, { ...t.admin, body: { service_accounts: [] } })).status, 200);
    await refused(403, () => t.request('PUT', `/api/teams/${teamId}`, { raw: sa.token, body: { name: 'Access team' } }));
  });

  it("an Editor allowed to assign roles may not give a service account one above the Editor's own permissions", async () => {
    const sa = await makeAccount('None');
    const assigner = await createRole([
      { action: 'users.roles:add', scope: 'users:*' },
      { action: 'users.roles:read', scope: 'users:*' },
    ]);
    const assignerUser = await makeUser(t, unique('ac-assigner'), 'Editor');
    const creds = { basic: assignerUser.basic };
    assert.equal((await assignUser(assignerUser.id, assigner.uid)).status, 200);
    const strong = await createRole([{ action: 'serviceaccounts:write', scope: 'serviceaccounts:*' }]);
    const r = await refused(403, () => assignUser(sa.id, strong.uid, creds));
    assert.equal(r.body.message, 'Cannot grant permissions the signed-in user does not hold: serviceaccounts:write');
    const weak = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    assert.equal((await assignUser(sa.id, weak.uid, creds)).status, 200);
    // A service account's token may not hand itself more either.
    await refused(403, () => assignUser(sa.id, strong.uid, { raw: sa.token }));
  });

  it('an id naming both a member and a service account: the user routes reach the member, service_accounts the account', async () => {
    // Whichever numbering is behind is advanced until it meets a number the other one has.
    const members = new Set<number>((await t.request('GET', '/api/org/users', t.admin)).body.map((u: { userId: number }) => u.userId));
    const accounts = new Set<number>((await t.request('GET', '/api/serviceaccounts/search?perpage=1000', t.admin)).body.serviceAccounts.map((a: { id: number }) => a.id));
    const usersBehind = Math.max(...members) < Math.max(...accounts);
    let shared = 0;
    for (let i = 0; i < 60 && !shared; i++) {
      if (usersBehind) {
        const u = await makeUser(t, unique('ac-twin'), 'None');
        if (accounts.has(u.id)) shared = u.id;
      } else {
        const sa = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: unique('ac-twin'), role: 'None' } });
        assert.equal(sa.status, 201, sa.text);
        if (members.has(sa.body.id)) shared = sa.body.id;
      }
    }
    assert.ok(shared, 'no service account id met a member id');
    const role = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    assert.equal((await assignUser(shared, role.uid)).status, 200);
    const url = `/api/access-control/roles/${role.uid}/assignments`;
    assert.deepEqual((await t.request('GET', url, t.admin)).body, { role_uid: role.uid, users: [shared], teams: [], service_accounts: [] });
    assert.equal((await t.request('PUT', url, { ...t.admin, body: { users: [], service_accounts: [shared] } })).status, 200);
    assert.deepEqual((await t.request('GET', url, t.admin)).body, { role_uid: role.uid, users: [], teams: [], service_accounts: [shared] });
    assert.deepEqual((await t.request('GET', `/api/access-control/users/${shared}/roles`, t.admin)).body, []);
    assert.equal((await t.request('PUT', url, { ...t.admin, body: { service_accounts: [] } })).status, 200);
  });

  it('deleting a service account drops its roles; a new account does not inherit them', async () => {
    const sa = await makeAccount('None');
    const role = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    assert.equal((await assignUser(sa.id, role.uid)).status, 200);
    assert.equal((await t.request('DELETE', `/api/serviceaccounts/${sa.id}`, t.admin)).status, 200);
    const rows = await t.roster.ctx.db.selectFrom('service_account_roles').selectAll().where('service_account_id', '=', sa.id).execute();
    assert.deepEqual(rows, []);
    assert.deepEqual((await t.request('GET', `/api/access-control/roles/${role.uid}/assignments`, t.admin)).body.service_accounts, []);
    await refused(404, () => assignUser(sa.id, role.uid));
    assert.equal((await listTeams({ raw: sa.token })).status, 401);
  });

  it('team search honours team-scoped grants: teams:read on teams:id:N lists N (with the teams one belongs to), org-wide lists all', async () => {
    const member = await makeUser(t, unique('ac-scoped'), 'None');
    const creds = { basic: member.basic };
    const names = async (c: Creds, query = '') => {
      const r = await t.request('GET', `/api/teams/search?perpage=100${query}`, c);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.totalCount, r.body.teams.length);
      return r.body.teams.map((x: { id: number }) => x.id).sort((a: number, b: number) => a - b);
    };
    const made = await t.request('POST', '/api/teams', { ...t.admin, body: { name: unique('Scoped team') } });
    assert.equal(made.status, 200, made.text);
    const scoped = made.body.teamId as number;
    const inOther: Creds = { ...t.admin, headers: { 'x-grafana-org-id': String(otherOrg) } };
    const foreign = (await t.request('POST', '/api/teams', { ...inOther, body: { name: unique('Foreign team') } })).body.teamId as number;
    // A grant on a foreign org's team id and one to write (not read) a team list nothing.
    const useless = await createRole([
      { action: 'teams:read', scope: `teams:id:${foreign}` },
      { action: 'teams:write', scope: `teams:id:${teamId}` },
    ]);
    assert.equal((await assignUser(member.id, useless.uid)).status, 200);
    await refused(403, () => listTeams(creds));
    const role = await createRole([{ action: 'teams:read', scope: `teams:id:${scoped}` }]);
    assert.equal((await assignUser(member.id, role.uid)).status, 200);
    assert.deepEqual(await names(creds), [scoped]);
    assert.deepEqual(await names(creds, `&name=${encodeURIComponent('Access team')}`), []);
    assert.equal((await t.request('POST', `/api/teams/${teamId}/members`, { ...t.admin, body: { userId: member.id } })).status, 200);
    assert.deepEqual(
      await names(creds),
      [teamId, scoped].sort((a, b) => a - b),
    );
    assert.equal((await t.request('DELETE', `/api/teams/${teamId}/members/${member.id}`, t.admin)).status, 200);
    // A service account's token is narrowed the same way.
    const sa = await makeAccount('None');
    assert.equal((await assignUser(sa.id, role.uid)).status, 200);
    assert.deepEqual(await names({ raw: sa.token }), [scoped]);
    // Org-wide, every team of the org (never the foreign one).
    const wide = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    assert.equal((await assignUser(member.id, wide.uid)).status, 200);
    const all = await names(creds);
    assert.ok(all.includes(teamId) && all.includes(scoped) && !all.includes(foreign));
    assert.deepEqual(all, await names(t.admin));
    assert.equal((await t.request('DELETE', `/api/access-control/users/${member.id}/roles/${wide.uid}`, t.admin)).status, 200);
    // Deleting the team ends the grant: the list is refused again.
    assert.equal((await t.request('DELETE', `/api/teams/${scoped}`, t.admin)).status, 200);
    await refused(403, () => listTeams(creds));
    await refused(403, () => listTeams({ raw: sa.token }));
  });

  it('assignment to an unknown user or team is 404, store unchanged', async () => {
    const role = await createRole([]);
    await refused(404, () => assignUser(999999, role.uid));
    await refused(404, () => t.request('POST', '/api/access-control/teams/999999/roles', { ...t.admin, body: { roleUid: role.uid } }));
  });

  it('every role change and assignment is in the audit trail', async () => {
    const role = await createRole([{ action: 'teams:read', scope: 'teams:*' }]);
    assert.equal((await assignUser(viewer.id, role.uid)).status, 200);
    const events = await t.roster.ctx.db.selectFrom('audit_events').select(['action', 'object_id']).where('object_type', 'in', ['role', 'role-assignment']).execute();
    assert.ok(events.some((e) => e.action === 'role.create' && e.object_id === role.uid));
    assert.ok(events.some((e) => e.action === 'role.assign' && e.object_id === `${role.uid}:user:${viewer.id}`));
  });
});
