// The admin organizations API, with grafana-client's expectations
// (docs/compat/grafana.md#organizations, #pagination).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('Grafana admin orgs /api/orgs', () => {
  let t: TestRoster;
  let testdriveOrg: number;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('POST /api/orgs creates an org with a numeric orgId (seed example)', async () => {
    const r = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Testdrive Org.' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.message, 'Organization created');
    assert.equal(typeof r.body.orgId, 'number');
    testdriveOrg = r.body.orgId;
  });

  it('a duplicate name is 409 "Organization name taken"', async () => {
    const r = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Main Org.' } });
    assert.deepEqual([r.status, r.body.message], [409, 'Organization name taken']);
  });

  it('org names are case-sensitive and exact', async () => {
    const r = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'main org.' } });
    assert.equal(r.status, 200);
    await t.request('DELETE', `/api/orgs/${r.body.orgId}`, t.admin);
  });

  it('the creator is Admin of the new org and their current org does not change', async () => {
    const orgs = await t.request('GET', '/api/user/orgs', t.admin);
    assert.deepEqual(orgs.body, [
      { name: 'Main Org.', orgId: 1, role: 'Admin' },
      { name: 'Testdrive Org.', orgId: testdriveOrg, role: 'Admin' },
    ]);
    assert.equal((await t.request('GET', '/api/org', t.admin)).body.id, 1);
  });

  it('GET /api/orgs lists all orgs by name (seed example)', async () => {
    const r = await t.request('GET', '/api/orgs', t.admin);
    assert.deepEqual(r.body, [
      { id: 1, name: 'Main Org.' },
      { id: testdriveOrg, name: 'Testdrive Org.' },
    ]);
  });

  it('GET /api/orgs pages zero-based with perpage, filters by query prefix and exact name', async () => {
    assert.deepEqual((await t.request('GET', '/api/orgs?perpage=1&page=0', t.admin)).body, [{ id: 1, name: 'Main Org.' }]);
    assert.deepEqual((await t.request('GET', '/api/orgs?perpage=1&page=1', t.admin)).body, [{ id: testdriveOrg, name: 'Testdrive Org.' }]);
    assert.deepEqual((await t.request('GET', '/api/orgs?perpage=1&page=2', t.admin)).body, []);
    assert.deepEqual((await t.request('GET', '/api/orgs?query=test', t.admin)).body, [{ id: testdriveOrg, name: 'Testdrive Org.' }]);
    assert.deepEqual((await t.request('GET', '/api/orgs?query=%25', t.admin)).body, []);
    assert.deepEqual((await t.request('GET', '/api/orgs?name=Main%20Org.', t.admin)).body, [{ id: 1, name: 'Main Org.' }]);
    assert.equal((await t.request('GET', '/api/orgs?perpage=abc&page=-3', t.admin)).body.length, 2);
  });

  it('GET /api/orgs/:id and /api/orgs/name/:name return the org with its address (seed examples)', async () => {
    const byId = await t.request('GET', '/api/orgs/1', t.admin);
    assert.deepEqual(byId.body, { id: 1, name: 'Main Org.', address: { address1: '', address2: '', city: '', zipCode: '', state: '', country: '' } });
    const byName = await t.request('GET', '/api/orgs/name/Main%20Org%2E', t.admin);
    assert.deepEqual(byName.body, byId.body);
    const td = await t.request('GET', '/api/orgs/name/Testdrive%20Org.', t.admin);
    assert.equal(td.body.id, testdriveOrg);
  });

  it('unknown names and ids are 404 "Organization not found"', async () => {
    const r = await t.request('GET', '/api/orgs/name/unknown', t.admin);
    assert.deepEqual([r.status, r.body.message], [404, 'Organization not found']);
    const r2 = await t.request('GET', '/api/orgs/9999', t.admin);
    assert.deepEqual([r2.status, r2.body.message], [404, 'Organization not found']);
  });

  it('a non-numeric or zero org id is an RBAC 403', async () => {
    for (const id of ['abc', '0']) {
      const r = await t.request('GET', `/api/orgs/${id}`, t.admin);
      assert.equal(r.status, 403);
      assert.equal(r.body.title, 'Access denied');
      assert.match(r.body.accessErrorId, /^ACE\d{10}$/);
    }
  });

  it('PUT /api/orgs/:id renames; unknown id is 404 "Failed to update organization" (Grafana: 500); taken name 400', async () => {
    let r = await t.request('PUT', '/api/orgs/1', { ...t.admin, body: { name: 'Other Org 99.' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Organization updated' }]);
    r = await t.request('PUT', '/api/orgs/9999', { ...t.admin, body: { name: 'x' } });
    assert.deepEqual([r.status, r.body.message], [404, 'Failed to update organization']);
    r = await t.request('PUT', '/api/orgs/1', { ...t.admin, body: { name: 'Testdrive Org.' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Organization name taken']);
    await t.request('PUT', '/api/orgs/1', { ...t.admin, body: { name: 'Main Org.' } });
  });

  it('PUT /api/orgs/:id/address updates the address', async () => {
    const r = await t.request('PUT', `/api/orgs/${testdriveOrg}/address`, { ...t.admin, body: { city: 'Oslo' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Address updated' }]);
    assert.equal((await t.request('GET', `/api/orgs/${testdriveOrg}`, t.admin)).body.address.city, 'Oslo');
  });

  it("DELETE of the caller's current org is refused with 400", async () => {
    const r = await t.request('DELETE', '/api/orgs/1', t.admin);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /Cannot delete your active organization/);
  });

  it('DELETE of unknown or negative ids is 404 "Failed to delete organization. ID not found"', async () => {
    for (const id of ['9999', '-9999']) {
      const r = await t.request('DELETE', `/api/orgs/${id}`, t.admin);
      assert.deepEqual([r.status, r.body.message], [404, 'Failed to delete organization. ID not found']);
    }
  });

  it('DELETE removes the org and its memberships, and repairs users whose current org it was', async () => {
    const org = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Doomed' } })).body.orgId;
    const user = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'doomed-user', password: 'secret-pw', OrgId: org } })).body.id;
    const r = await t.request('DELETE', `/api/orgs/${org}`, t.admin);
    assert.deepEqual([r.status, r.body], [200, { message: 'Organization deleted' }]);
    assert.equal((await t.request('GET', `/api/orgs/${org}`, t.admin)).status, 404);
    const profile = await t.request('GET', `/api/users/${user}`, t.admin);
    assert.equal(profile.body.orgId, undefined, 'a user left in no org has no current org');
    assert.deepEqual((await t.request('GET', `/api/users/${user}/orgs`, t.admin)).body, []);
  });

  it('non-server-admins cannot list, create, look up by name or delete orgs', async () => {
    await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'plain', password: 'secret-pw' } });
    const plain = { basic: ['plain', 'secret-pw'] as [string, string] };
    for (const [method, url, body] of [
      ['GET', '/api/orgs'],
      ['POST', '/api/orgs', { name: 'Mine' }],
      ['GET', '/api/orgs/name/Main%20Org.'],
      ['DELETE', `/api/orgs/${testdriveOrg}`],
    ] as const) {
      const r = await t.request(method, url, { ...plain, body });
      assert.equal(r.status, 403, `${method} ${url}`);
      assert.equal(r.body.title, 'Access denied');
    }
    // A member may read their own org by id, not another one.
    assert.equal((await t.request('GET', '/api/orgs/1', plain)).status, 200);
    assert.equal((await t.request('GET', `/api/orgs/${testdriveOrg}`, plain)).status, 403);
  });

  it('ROSTER_ALLOW_ORG_CREATE lets any user create an org, becoming its Admin', async () => {
    const t2 = await startRoster({ ROSTER_ALLOW_ORG_CREATE: 'true' });
    try {
      await t2.request('POST', '/api/admin/users', { ...t2.admin, body: { login: 'maker', password: 'secret-pw' } });
      const r = await t2.request('POST', '/api/orgs', { basic: ['maker', 'secret-pw'], body: { name: 'Maker Org' } });
      assert.equal(r.status, 200);
      const orgs = await t2.request('GET', '/api/user/orgs', { basic: ['maker', 'secret-pw'] });
      assert.deepEqual(orgs.body.find((o: any) => o.name === 'Maker Org')?.role, 'Admin');
    } finally {
      await t2.close();
    }
  });
});
