// /api/users, /api/user and /api/admin/users, with grafana-client's expectations
// (docs/compat/grafana.md#users, #pagination).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('Grafana users and admin', () => {
  let t: TestRoster;
  let testdrive: number;
  const td = { basic: ['testdrive', 'secret-pw'] as [string, string] };
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('POST /api/admin/users creates a Viewer of org 1; login becomes the email', async () => {
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'testdrive', password: 'secret-pw', OrgId: 1 } });
    assert.equal(r.status, 200);
    assert.equal(r.body.message, 'User created');
    assert.match(r.body.uid, /^[a-z0-9]{14}$/);
    testdrive = r.body.id;
    const u = await t.request('GET', `/api/users/${testdrive}`, t.admin);
    assert.deepEqual([u.body.login, u.body.email, u.body.name, u.body.orgId, u.body.isGrafanaAdmin], ['testdrive', 'testdrive', '', 1, false]);
    const orgs = await t.request('GET', `/api/users/${testdrive}/orgs`, t.admin);
    assert.deepEqual(orgs.body, [{ orgId: 1, name: 'Main Org.', role: 'Viewer' }]);
  });

  it('a duplicate login or email (any case) is 412', async () => {
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'TestDrive', password: 'secret-pw' } });
    assert.equal(r.status, 412);
    assert.equal(r.body.message, "User with email '' or username 'TestDrive' already exists");
  });

  it('create validation: no password 400 "bad request data", short 400, unknown org 400', async () => {
    let r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'x1' } });
    assert.deepEqual([r.status, r.body.message], [400, 'bad request data']);
    r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'x1', password: 'abc' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Password is missing or too short']);
    r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { password: 'secret-pw1' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Validation error, need specify either username or email']);
    r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'x1', password: 'secret-pw', orgId: 5 } });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /org\.notFound/);
    assert.equal((await t.request('GET', '/api/users/lookup?loginOrEmail=x1', t.admin)).status, 404);
  });

  it('Basic auth works with login or email, case-insensitively', async () => {
    await t.request('POST', '/api/admin/users', { ...t.admin, body: { name: 'User', email: 'user@graf.com', login: 'user', password: 'secret-pw' } });
    for (const login of ['user', 'USER', 'user@graf.com', 'User@Graf.com']) {
      const r = await t.request('GET', '/api/user', { basic: [login, 'secret-pw'] });
      assert.equal(r.status, 200, login);
      assert.equal(r.body.login, 'user');
    }
  });

  it('GET /api/user returns the caller; /api/user/orgs their orgs', async () => {
    const r = await t.request('GET', '/api/user', t.admin);
    assert.equal(r.body.login, 'admin');
    assert.equal(r.body.isGrafanaAdmin, true);
    assert.equal(r.body.orgId, 1);
    assert.deepEqual(Object.keys((await t.request('GET', '/api/user/orgs', td)).body[0]).sort(), ['name', 'orgId', 'role']);
  });

  it('GET /api/users/unknown and lookup of unknown are 404 user not found', async () => {
    let r = await t.request('GET', '/api/users/unknown', t.admin);
    assert.equal(r.status, 404);
    assert.match(r.body.message, /[Uu]ser not found/);
    r = await t.request('GET', '/api/users/lookup?loginOrEmail=unknown', t.admin);
    assert.equal(r.status, 404);
    assert.match(r.body.message, /[Uu]ser not found/);
    r = await t.request('GET', '/api/users/9999', t.admin);
    assert.equal(r.status, 404);
  });

  it('GET /api/users/lookup finds by login or email; /api/users/:uid resolves uids', async () => {
    const r = await t.request('GET', '/api/users/lookup?loginOrEmail=TESTDRIVE', t.admin);
    assert.equal(r.body.id, testdrive);
    const byUid = await t.request('GET', `/api/users/${r.body.uid}`, t.admin);
    assert.equal(byUid.body.id, testdrive);
  });

  it('GET /api/users pages until an empty page (grafana-client loop terminates)', async () => {
    assert.equal((await t.request('GET', '/api/users?query=testdrive&page=1', t.admin)).body.length, 1);
    assert.deepEqual((await t.request('GET', '/api/users?query=testdrive&page=2', t.admin)).body, []);
    assert.equal((await t.request('GET', '/api/users?query=unknown', t.admin)).body.length, 0);
    const all: string[] = [];
    for (let page = 1; page < 20; page++) {
      const r = await t.request('GET', `/api/users?perpage=1&page=${page}`, t.admin);
      if (!r.body.length) break;
      all.push(...r.body.map((u: any) => u.login));
    }
    assert.deepEqual(all, ['admin', 'testdrive', 'user']);
  });

  it('GET /api/users/search returns totalCount, users, page, perPage', async () => {
    const r = await t.request('GET', '/api/users/search?perpage=2&page=1', t.admin);
    assert.equal(r.body.totalCount, 3);
    assert.equal(r.body.users.length, 2);
    assert.deepEqual([r.body.page, r.body.perPage], [1, 2]);
    assert.equal(r.body.users[0].isAdmin, true);
  });

  it('PUT /api/users/:id updates; {} is 400 errutil; conflicts are 409; unknown uid 404', async () => {
    let r = await t.request('PUT', `/api/users/${testdrive}`, { ...t.admin, body: { login: 'foo' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'User updated' }]);
    r = await t.request('PUT', `/api/users/${testdrive}`, { ...t.admin, body: {} });
    assert.deepEqual(r.body, { message: 'Need to specify either username or email', messageId: 'user.empty-username-and-email', statusCode: 400, traceID: '' });
    r = await t.request('PUT', `/api/users/${testdrive}`, { ...t.admin, body: { login: 'ADMIN' } });
    assert.deepEqual([r.status, r.body.message], [409, 'Update would result in user login conflict']);
    r = await t.request('PUT', '/api/users/unknown', { ...t.admin, body: {} });
    assert.deepEqual([r.status, r.body.message], [404, 'User not found']);
    await t.request('PUT', `/api/users/${testdrive}`, { ...t.admin, body: { login: 'testdrive' } });
  });

  it('PUT /api/user/password checks the old password first, then the length', async () => {
    let r = await t.request('PUT', '/api/user/password', { ...td, body: { oldPassword: 'invalid', newPassword: 'new', confirmNew: 'new' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Invalid old password']);
    r = await t.request('PUT', '/api/user/password', { ...td, body: { oldPassword: 'secret-pw', newPassword: 'new', confirmNew: 'new' } });
    assert.deepEqual([r.status, r.body.message], [400, 'New password is too short']);
    r = await t.request('PUT', '/api/user/password', { ...td, body: { oldPassword: 'secret-pw', newPassword: 'secret-pw2', confirmNew: 'secret-pw2' } });
    assert.deepEqual([r.status, r.body.message], [200, 'User password changed']);
    assert.equal((await t.request('GET', '/api/user', td)).status, 401, 'the old password stops working at once');
    assert.equal((await t.request('GET', '/api/user', { basic: ['testdrive', 'secret-pw2'] })).status, 200);
  });

  it('admin password, permissions, disable/enable, delete (grafana-client messages)', async () => {
    let r = await t.request('PUT', `/api/admin/users/${testdrive}/password`, { ...t.admin, body: { password: 'secret-pw' } });
    assert.deepEqual(r.body, { message: 'User password updated' });
    r = await t.request('PUT', `/api/admin/users/${testdrive}/permissions`, { ...t.admin, body: { isGrafanaAdmin: true } });
    assert.deepEqual(r.body, { message: 'User permissions updated' });
    assert.equal((await t.request('GET', '/api/user', td)).body.isGrafanaAdmin, true);
    await t.request('PUT', `/api/admin/users/${testdrive}/permissions`, { ...t.admin, body: { isGrafanaAdmin: false } });
    r = await t.request('POST', `/api/admin/users/${testdrive}/disable`, t.admin);
    assert.deepEqual(r.body, { message: 'User disabled' });
    assert.equal((await t.request('GET', '/api/user', td)).status, 401);
    r = await t.request('POST', `/api/admin/users/${testdrive}/enable`, t.admin);
    assert.deepEqual(r.body, { message: 'User enabled' });
    assert.equal((await t.request('GET', '/api/user', td)).status, 200);
    r = await t.request('PUT', '/api/admin/users/1/permissions', { ...t.admin, body: { isGrafanaAdmin: false } });
    assert.deepEqual([r.status, r.body.message], [400, 'cannot remove last grafana admin']);
    r = await t.request('PUT', '/api/admin/users/9999/password', { ...t.admin, body: { password: 'secret-pw' } });
    assert.deepEqual([r.status, r.body.message], [404, 'Could not read user from database']);
    r = await t.request('DELETE', '/api/admin/users/9999', t.admin);
    assert.deepEqual([r.status, r.body.message], [404, 'user not found']);
    r = await t.request('DELETE', '/api/admin/users/abc', t.admin);
    assert.deepEqual([r.status, r.body.message], [400, 'id is invalid']);
    r = await t.request('DELETE', `/api/admin/users/${testdrive}`, t.admin);
    assert.deepEqual(r.body, { message: 'User deleted' });
    assert.equal((await t.request('GET', '/api/user', td)).status, 401);
  });

  it('non-admins get the RBAC 403 on server-admin routes', async () => {
    const user = { basic: ['user', 'secret-pw'] as [string, string] };
    for (const [method, url] of [
      ['GET', '/api/users'],
      ['GET', '/api/users/1'],
      ['POST', '/api/admin/users'],
      ['DELETE', '/api/admin/users/1'],
    ] as const) {
      const r = await t.request(method, url, { ...user, body: method === 'POST' ? { login: 'z', password: 'zzzzzzzz' } : undefined });
      assert.equal(r.status, 403, url);
      assert.equal(r.body.title, 'Access denied');
    }
  });

  it('switching org: member 200, non-member 401, bad id 400', async () => {
    const org = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Second' } })).body.orgId;
    let r = await t.request('POST', `/api/user/using/${org}`, t.admin);
    assert.deepEqual(r.body, { message: 'Active organization changed' });
    assert.equal((await t.request('GET', '/api/org', t.admin)).body.name, 'Second');
    assert.equal((await t.request('GET', '/api/user', t.admin)).body.orgId, org);
    r = await t.request('POST', '/api/user/using/9999', t.admin);
    assert.equal(r.status, 401);
    r = await t.request('POST', '/api/user/using/unknown', t.admin);
    assert.deepEqual([r.status, r.body.message], [400, 'id is invalid']);
    const user = (await t.request('GET', '/api/users/lookup?loginOrEmail=user', t.admin)).body.id;
    r = await t.request('POST', `/api/users/${user}/using/${org}`, t.admin);
    assert.equal(r.status, 401, 'user is not a member of org');
    r = await t.request('POST', `/api/users/${user}/using/acme`, t.admin);
    assert.deepEqual([r.status, r.body.message], [400, 'orgId is invalid']);
    r = await t.request('POST', `/api/users/9999/using/${org}`, t.admin);
    assert.equal(r.status, 401);
    await t.request('POST', '/api/user/using/1', t.admin);
  });

  it('user preferences share the timezone; PUT {} clears', async () => {
    let r = await t.request('PUT', '/api/user/preferences', { ...t.admin, body: { timezone: 'Europe/Berlin', theme: 'light' } });
    assert.equal(r.status, 200);
    assert.deepEqual((await t.request('GET', '/api/user/preferences', t.admin)).body, { theme: 'light', timezone: 'Europe/Berlin' });
    r = await t.request('PUT', '/api/user/preferences', { ...t.admin, body: {} });
    assert.equal(r.status, 200);
    assert.deepEqual((await t.request('GET', '/api/user/preferences', t.admin)).body, {});
  });

  it('session login sets a cookie that authenticates; logout ends it', async () => {
    let r = await t.request('POST', '/login', { body: { user: 'admin', password: 'wrong' } });
    assert.equal(r.status, 401);
    r = await t.request('POST', '/login', { body: { user: 'admin', password: 'admin-secret' } });
    assert.equal(r.status, 200);
    const cookie = String(r.headers['set-cookie']).split(';')[0];
    assert.match(cookie, /^grafana_session=/);
    assert.equal((await t.request('GET', '/api/user', { cookie })).body.login, 'admin');
    r = await t.request('GET', '/logout', { cookie });
    assert.equal(r.status, 302);
    assert.equal((await t.request('GET', '/api/user', { cookie })).status, 401);
  });

  it('health and frontend settings need no credentials', async () => {
    const h = await t.request('GET', '/api/health');
    assert.deepEqual([h.status, h.body.database], [200, 'ok']);
    const s = await t.request('GET', '/api/frontend/settings');
    assert.equal(s.body.buildInfo.version, '12.0.0');
  });
});
