// The current-organization API and Grafana's errors for it (docs/compat/grafana.md#organizations,
// #errors).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('Grafana current org /api/org', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('GET /api/org/ returns Main Org. with its address (seed example)', async () => {
    const r = await t.request('GET', '/api/org/', t.admin);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      id: 1,
      name: 'Main Org.',
      address: { address1: '', address2: '', city: '', zipCode: '', state: '', country: '' },
    });
  });

  it('rejects a request without credentials with Grafana 401 body', async () => {
    const r = await t.request('GET', '/api/org');
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { message: 'Unauthorized', messageId: 'auth.unauthorized', statusCode: 401, traceID: '' });
    assert.equal(r.headers['www-authenticate'], undefined);
  });

  it('rejects a wrong password', async () => {
    const r = await t.request('GET', '/api/org', { basic: ['admin', 'nope'] });
    assert.equal(r.status, 401);
    assert.equal(r.body.messageId, 'password-auth.failed');
  });

  it('PUT /api/org renames, also to its own name (seed example)', async () => {
    let r = await t.request('PUT', '/api/org', { ...t.admin, body: { name: 'Main Org.' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Organization updated' }]);
    r = await t.request('PUT', '/api/org', { ...t.admin, body: { name: 'Renamed' } });
    assert.equal(r.status, 200);
    assert.equal((await t.request('GET', '/api/org', t.admin)).body.name, 'Renamed');
    await t.request('PUT', '/api/org', { ...t.admin, body: { name: 'Main Org.' } });
  });

  it('PUT /api/org to a taken name is 400 "Organization name taken"', async () => {
    await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Taken' } });
    const r = await t.request('PUT', '/api/org', { ...t.admin, body: { name: 'Taken' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'Organization name taken');
  });

  it('PUT /api/org with malformed JSON or a missing name is 400 "bad request data" and changes nothing', async () => {
    for (const rawBody of ['{"name":', '{}', '{"name":""}', '{"name":5}', '[]']) {
      const r = await t.request('PUT', '/api/org', { ...t.admin, rawBody });
      assert.equal(r.status, 400, rawBody);
      assert.equal(r.body.message, 'bad request data');
    }
    assert.equal((await t.request('GET', '/api/org', t.admin)).body.name, 'Main Org.');
  });

  it('PUT /api/org/address updates the address', async () => {
    const r = await t.request('PUT', '/api/org/address', { ...t.admin, body: { address1: 'Street 1', city: 'Berlin', zipCode: '10115', country: 'DE' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Address updated' }]);
    const org = await t.request('GET', '/api/org', t.admin);
    assert.deepEqual(org.body.address, { address1: 'Street 1', address2: '', city: 'Berlin', zipCode: '10115', state: '', country: 'DE' });
  });

  it('preferences: PUT replaces, PATCH merges, GET shows only set fields', async () => {
    assert.deepEqual((await t.request('GET', '/api/org/preferences', t.admin)).body, {});
    let r = await t.request('PUT', '/api/org/preferences', { ...t.admin, body: { theme: 'dark', timezone: 'utc' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Preferences updated' }]);
    r = await t.request('PATCH', '/api/org/preferences', { ...t.admin, body: { weekStart: 'monday' } });
    assert.equal(r.status, 200);
    assert.deepEqual((await t.request('GET', '/api/org/preferences', t.admin)).body, { theme: 'dark', timezone: 'utc', weekStart: 'monday' });
    r = await t.request('PUT', '/api/org/preferences', { ...t.admin, body: { theme: 'purple' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Invalid theme']);
  });
});
