// grafana-client's admin element: settings with server/plugins/security sections, stats with
// at least ten counters; both for server admins only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('Grafana /api/admin/settings and /api/admin/stats', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
    await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'viewer', password: 'secret-pw' } });
    await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Second' } });
  });
  after(() => t.close());

  it('settings have the sections the client reads and no secrets', async () => {
    const r = await t.request('GET', '/api/admin/settings', t.admin);
    assert.equal(r.status, 200);
    for (const section of ['server', 'plugins', 'security']) assert.ok(section in r.body, section);
    assert.equal(r.body.users.auto_assign_org_role, 'Viewer');
    assert.ok(!r.text.includes('admin-secret'));
  });

  it('stats count the store', async () => {
    const r = await t.request('GET', '/api/admin/stats', t.admin);
    assert.equal(r.status, 200);
    assert.ok(Object.keys(r.body).length >= 10);
    assert.deepEqual([r.body.orgs, r.body.users, r.body.admins, r.body.viewers, r.body.editors], [2, 2, 1, 1, 0]);
  });

  it('are refused to others', async () => {
    for (const url of ['/api/admin/settings', '/api/admin/stats']) {
      assert.equal((await t.request('GET', url, { basic: ['viewer', 'secret-pw'] })).status, 403);
    }
  });
});
