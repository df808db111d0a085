// docs/compat/grafana.md#json-null: a JSON null in a Grafana body binds as an absent field, as
// Go's encoding/json leaves the field at its zero value; a required field that is null fails as
// a missing one does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('Grafana bodies with JSON null', () => {
  let t: TestRoster;
  let saId: number;
  const send = (method: string, url: string, body: unknown) => t.request(method, url, { ...t.admin, body });

  before(async () => {
    t = await startRoster();
    saId = (await send('POST', '/api/serviceaccounts', { name: 'robot', role: 'Viewer' })).body.id;
  });
  after(() => t.close());

  it('null in optional fields is accepted as absent: preferences, user create, team create, service-account update, token create, address', async () => {
    let r = await send('PUT', '/api/user/preferences', { theme: null, timezone: 'utc', homeDashboardUID: null, queryHistory: { homeTab: null }, weekStart: null });
    assert.deepEqual([r.status, r.body], [200, { message: 'Preferences updated' }]);
    const prefs = (await t.request('GET', '/api/user/preferences', t.admin)).body;
    assert.equal(prefs.timezone, 'utc');

    r = await send('POST', '/api/admin/users', { login: 'nully', password: 'nully-password', name: null, email: null, orgId: null });
    assert.equal(r.status, 200, r.text);
    const user = (await t.request('GET', `/api/users/${r.body.id}`, t.admin)).body;
    assert.deepEqual([user.login, user.email, user.name], ['nully', 'nully', '']);

    r = await send('POST', '/api/teams', { name: 'Nullteam', email: null });
    assert.equal(r.status, 200, r.text);

    r = await send('PATCH', `/api/serviceaccounts/${saId}`, { name: null, role: 'Editor', isDisabled: null });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.serviceaccount.name, r.body.serviceaccount.role], ['robot', 'Editor']);

    r = await send('POST', `/api/serviceaccounts/${saId}/tokens`, { name: 'nulltoken', secondsToLive: null });
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.key, /^glsa_/);

    r = await send('PUT', '/api/org/address', { address1: 'Main St', city: null, country: null });
    assert.equal(r.status, 200, r.text);
    assert.equal((await t.request('GET', '/api/org', t.admin)).body.address.address1, 'Main St');
  });

  it('a null required field answers exactly as a missing one, and writes nothing', async () => {
    const teams = async () => (await t.request('GET', '/api/teams/search', t.admin)).body.totalCount;
    const before = await teams();
    for (const [method, url, withNull, without] of [
      ['POST', '/api/teams', { name: null, email: 'x@example.com' }, { email: 'x@example.com' }],
      ['PUT', '/api/org', { name: null }, {}],
      ['POST', '/api/org/users', { loginOrEmail: null, role: 'Viewer' }, { role: 'Viewer' }],
      ['POST', '/api/admin/users', { login: null, email: null, password: 'some-password' }, { password: 'some-password' }],
      ['POST', `/api/teams/1/members`, { userId: null }, {}],
    ] as const) {
      const a = await send(method, url, withNull);
      const b = await send(method, url, without);
      assert.ok(a.status >= 400 && a.status < 500, `${url}: ${a.status}`);
      assert.deepEqual([a.status, a.body], [b.status, b.body], url);
    }
    assert.equal(await teams(), before);
    assert.equal((await t.request('GET', '/api/org', t.admin)).body.name, 'Main Org.');
  });

  it('null where a value of another type is wanted is still absent, not a type error; a null body stays a bad request', async () => {
    const me = (await t.request('GET', '/api/user', t.admin)).body;
    let r = await send('PUT', '/api/user', { login: me.login, email: me.email, name: null, theme: 'dark' });
    assert.deepEqual([r.status, r.body], [200, { message: 'User updated' }]);
    assert.equal((await t.request('GET', '/api/user', t.admin)).body.theme, 'dark');
    r = await t.request('PUT', '/api/org', { ...t.admin, rawBody: 'null', contentType: 'application/json' });
    assert.deepEqual([r.status, r.body], [400, { message: 'bad request data' }]);
  });
});
