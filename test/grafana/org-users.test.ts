// Org users, current org and admin variants, with Grafana's membership rules
// (docs/compat/grafana.md#org-users).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('Grafana org users', () => {
  let t: TestRoster;
  let testdrive: number;
  let angel: number;
  let org2: number;
  before(async () => {
    t = await startRoster();
    testdrive = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'testdrive', password: 'secret-pw', OrgId: 1 } })).body.id;
    angel = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'angel', email: 'angel@example.com', password: 'secret-pw' } })).body.id;
    org2 = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Testdrive Org.' } })).body.orgId;
  });
  after(() => t.close());

  it('GET /api/org/users lists members with Grafana fields (seed example)', async () => {
    const r = await t.request('GET', '/api/org/users', t.admin);
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 3);
    const admin = r.body.find((u: any) => u.login === 'admin');
    assert.deepEqual(
      { orgId: admin.orgId, userId: admin.userId, email: admin.email, login: admin.login, role: admin.role },
      { orgId: 1, userId: 1, email: 'admin@localhost', login: 'admin', role: 'Admin' },
    );
    assert.equal(admin.avatarUrl, '/avatar/46d229b033af06a191ff2267bca9ae56');
    const td = r.body.find((u: any) => u.login === 'testdrive');
    assert.equal(td.role, 'Viewer', 'auto-assigned with the configured role');
    assert.equal(td.lastSeenAtAge, '10 years');
    assert.deepEqual(
      Object.keys(td).sort(),
      ['authLabels', 'avatarUrl', 'email', 'isDisabled', 'isExternallySynced', 'isProvisioned', 'lastSeenAt', 'lastSeenAtAge', 'login', 'name', 'orgId', 'role', 'uid', 'userId'].sort(),
    );
    assert.deepEqual(
      r.body.map((u: any) => u.login),
      ['admin', 'angel', 'testdrive'],
    );
  });

  it('a user is seen when they call the API: lastSeenAtAge "< 1 minute", the admin stats count them active', async () => {
    const ages = async () => Object.fromEntries((await t.request('GET', '/api/users/search?perpage=100', t.admin)).body.users.map((u: any) => [u.login, u.lastSeenAtAge]));
    assert.equal((await ages()).admin, '< 1 minute');
    assert.equal((await ages()).angel, '10 years');
    const activeBefore = (await t.request('GET', '/api/admin/stats', t.admin)).body.activeUsers;
    const angel = await t.roster.ctx.db.selectFrom('users').select(['login', 'id']).where('login', '=', 'angel').executeTakeFirstOrThrow();
    await t.request('PUT', `/api/admin/users/${angel.id}/password`, { ...t.admin, body: { password: 'angel-pass-1' } });
    assert.equal((await t.request('GET', '/api/user', { basic: ['angel', 'angel-pass-1'] })).status, 200);
    assert.equal((await ages()).angel, '< 1 minute');
    assert.equal((await t.request('GET', '/api/admin/stats', t.admin)).body.activeUsers, activeBefore + 1);
  });

  it('GET /api/org/users honours query and limit', async () => {
    assert.deepEqual(
      (await t.request('GET', '/api/org/users?query=ANG', t.admin)).body.map((u: any) => u.login),
      ['angel'],
    );
    assert.equal((await t.request('GET', '/api/org/users?limit=2', t.admin)).body.length, 2);
  });

  it('GET /api/org/users/search pages one-based with totalCount', async () => {
    const r = await t.request('GET', '/api/org/users/search?perpage=2&page=2', t.admin);
    assert.equal(r.body.totalCount, 3);
    assert.equal(r.body.page, 2);
    assert.equal(r.body.perPage, 2);
    assert.deepEqual(
      r.body.orgUsers.map((u: any) => u.login),
      ['testdrive'],
    );
    const sorted = await t.request('GET', '/api/org/users/search?sort=login-desc', t.admin);
    assert.deepEqual(
      sorted.body.orgUsers.map((u: any) => u.login),
      ['testdrive', 'angel', 'admin'],
    );
  });

  it('GET /api/org/users/lookup returns the short form (seed 003 example)', async () => {
    const r = await t.request('GET', '/api/org/users/lookup?query=admin', t.admin);
    assert.deepEqual(r.body, [{ userId: 1, uid: r.body[0].uid, login: 'admin', avatarUrl: '/avatar/46d229b033af06a191ff2267bca9ae56' }]);
  });

  it('POST /api/org/users adds a user and answers with userId (seed 003 example)', async () => {
    const r = await t.request('POST', `/api/orgs/${org2}/users`, { ...t.admin, body: { loginOrEmail: 'ANGEL@example.com', role: 'Viewer' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'User added to organization', userId: angel }]);
  });

  it('adding an existing member is 409 with userId', async () => {
    const r = await t.request('POST', '/api/org/users', { ...t.admin, body: { role: 'Admin', loginOrEmail: 'admin' } });
    assert.deepEqual([r.status, r.body], [409, { message: 'User is already member of this organization', userId: 1 }]);
  });

  it('adding an unknown user is 404 "User not found"; an invalid role is 400', async () => {
    let r = await t.request('POST', '/api/org/users', { ...t.admin, body: { role: 'Viewer', loginOrEmail: 'unknown' } });
    assert.deepEqual([r.status, r.body.message], [404, 'User not found']);
    r = await t.request('POST', `/api/orgs/${org2}/users`, { ...t.admin, body: { role: 'admin', loginOrEmail: 'testdrive' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Invalid role specified']);
    r = await t.request('POST', '/api/org/users', { ...t.admin, body: { role: 'Viewer' } });
    assert.deepEqual([r.status, r.body.message], [400, 'bad request data']);
  });

  it('PATCH changes a role (seed examples)', async () => {
    let r = await t.request('POST', `/api/orgs/${org2}/users`, { ...t.admin, body: { loginOrEmail: 'testdrive', role: 'Viewer' } });
    assert.equal(r.status, 200);
    r = await t.request('PATCH', `/api/orgs/${org2}/users/${testdrive}`, { ...t.admin, body: { role: 'Admin' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Organization user updated' }]);
    r = await t.request('PATCH', `/api/org/users/${testdrive}`, { ...t.admin, body: { role: 'Editor' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Organization user updated' }]);
    const users = await t.request('GET', `/api/orgs/${org2}/users`, t.admin);
    assert.equal(users.body.find((u: any) => u.login === 'testdrive').role, 'Admin');
  });

  it('PATCH on unknown orgs or users is 404 "Failed update org user" (Grafana answers 500; Roster never 5xx for a client mistake)', async () => {
    for (const url of [`/api/orgs/9999/users/${testdrive}`, `/api/orgs/-9999/users/${testdrive}`, `/api/orgs/${org2}/users/9999`, `/api/orgs/${org2}/users/-9999`, '/api/org/users/9999']) {
      const r = await t.request('PATCH', url, { ...t.admin, body: { role: 'Viewer' } });
      assert.deepEqual([r.status, r.body.message], [404, 'Failed update org user'], url);
    }
  });

  it('PATCH with a non-numeric user id is 400 "userId is invalid" on the current org', async () => {
    const r = await t.request('PATCH', '/api/org/users/abc', { ...t.admin, body: { role: 'Viewer' } });
    assert.deepEqual([r.status, r.body.message], [400, 'userId is invalid']);
  });

  it('the org-user routes take a user uid too; an unknown uid is 404 before the permission check, as Grafana resolves the path first', async () => {
    const uid = (await t.request('GET', `/api/users/${angel}`, t.admin)).body.uid;
    assert.match(uid, /^[a-z0-9]+$/i);
    await t.request('POST', `/api/orgs/${org2}/users`, { ...t.admin, body: { loginOrEmail: 'angel', role: 'Viewer' } });
    let r = await t.request('PATCH', `/api/orgs/${org2}/users/${uid}`, { ...t.admin, body: { role: 'Editor' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Organization user updated' }]);
    assert.equal((await t.request('GET', `/api/orgs/${org2}/users`, t.admin)).body.find((u: any) => u.login === 'angel').role, 'Editor');
    const angelAuth = { basic: ['angel', 'angel-pass-1'] as [string, string] };
    r = await t.request('PATCH', `/api/orgs/${org2}/users/no-such-uid`, { ...angelAuth, body: { role: 'Viewer' } });
    assert.deepEqual([r.status, r.body.message], [404, 'User not found']);
    r = await t.request('PATCH', `/api/orgs/${org2}/users/${uid}`, { ...angelAuth, body: { role: 'Viewer' } });
    assert.equal(r.status, 403);
    r = await t.request('DELETE', `/api/orgs/${org2}/users/${uid}`, angelAuth);
    assert.equal(r.status, 403);
    r = await t.request('DELETE', `/api/orgs/${org2}/users/${uid}`, t.admin);
    assert.deepEqual([r.status, r.body.message], [200, 'User removed from organization']);
    // The server-admin user routes check the caller before they look the uid up.
    assert.equal((await t.request('GET', '/api/users/no-such-uid', angelAuth)).status, 403);
    assert.equal((await t.request('GET', '/api/users/no-such-uid', t.admin)).status, 404);
    assert.equal((await t.request('GET', `/api/users/${uid}`, t.admin)).body.login, 'angel');
  });

  it('the last admin can be neither demoted nor removed', async () => {
    let r = await t.request('PATCH', '/api/org/users/1', { ...t.admin, body: { role: 'Viewer' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Cannot change role so that there is no organization admin left']);
    r = await t.request('DELETE', '/api/org/users/1', t.admin);
    assert.deepEqual([r.status, r.body.message], [400, 'Cannot remove last organization admin']);
    const users = await t.request('GET', '/api/org/users', t.admin);
    assert.equal(users.body.find((u: any) => u.login === 'admin').role, 'Admin');
  });

  it('an org Admin cannot grant above their own role; an Editor cannot manage users', async () => {
    await t.request('PATCH', `/api/org/users/${testdrive}`, { ...t.admin, body: { role: 'Editor' } });
    const editor = { basic: ['testdrive', 'secret-pw'] as [string, string] };
    const r = await t.request('POST', '/api/org/users', { ...editor, body: { loginOrEmail: 'angel', role: 'Viewer' } });
    assert.equal(r.status, 403);
    assert.match(r.body.message, /Permissions needed: org\.users:add/);
  });

  it('DELETE /api/orgs/:org/users/:user removes and never deletes the user', async () => {
    const r = await t.request('DELETE', `/api/orgs/1/users/${testdrive}`, t.admin);
    assert.deepEqual([r.status, r.body], [200, { message: 'User removed from organization' }]);
    assert.equal((await t.request('GET', `/api/users/${testdrive}`, t.admin)).status, 200);
  });

  it('DELETE /api/org/users/:id removes; a user left in no org is deleted ("User deleted")', async () => {
    await t.request('POST', '/api/user/using/' + org2, t.admin);
    let r = await t.request('DELETE', `/api/org/users/${testdrive}`, { ...t.admin, headers: { 'x-grafana-org-id': '1' } });
    assert.deepEqual([r.status, r.body.message], [200, 'User removed from organization'], 'testdrive is not in org 1 anymore: silent success');
    await t.request('PATCH', `/api/orgs/${org2}/users/${testdrive}`, { ...t.admin, body: { role: 'Viewer' } });
    r = await t.request('DELETE', `/api/org/users/${testdrive}`, t.admin);
    assert.deepEqual([r.status, r.body.message], [200, 'User deleted']);
    assert.equal((await t.request('GET', `/api/users/${testdrive}`, t.admin)).status, 404);
    await t.request('POST', '/api/user/using/1', t.admin);
  });

  it('X-Grafana-Org-Id selects an org the user belongs to; another org leaves no role', async () => {
    const r = await t.request('GET', '/api/org', { ...t.admin, headers: { 'x-grafana-org-id': String(org2) } });
    assert.equal(r.body.name, 'Testdrive Org.');
    await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'outsider', password: 'secret-pw' } });
    const o = await t.request('GET', '/api/org/users', { basic: ['outsider', 'secret-pw'], headers: { 'x-grafana-org-id': String(org2) } });
    assert.equal(o.status, 403);
    const o2 = await t.request('GET', '/api/org', { basic: ['outsider', 'secret-pw'], headers: { 'x-grafana-org-id': String(org2) } });
    assert.equal(o2.status, 403);
  });
});
