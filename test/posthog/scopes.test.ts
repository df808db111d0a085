// docs/compat/posthog.md#scopes: every endpoint's required scope, write-implies-read, the wildcard, org-limited
// keys and members_can_use_personal_api_keys.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { denied, makeKey, NOT_FOUND, startFixture, type Fixture } from './fixture.ts';

describe('PostHog personal API key scopes', () => {
  let f: Fixture;
  let integrationId: string;
  let inviteId: string;
  before(async () => {
    f = await startFixture();
    const i = await f.t.request('POST', `/api/roster/v1/orgs/${f.acme.id}/integrations`, { ...f.owner.creds, body: { kind: 'vercel', config: { type: 'connectable' } } });
    integrationId = i.body.id;
    const inv = await f.t.request('POST', `/api/organizations/${f.acme.uuid}/invites/`, { ...f.owner.creds, body: { target_email: 'scope@example.com' } });
    inviteId = inv.body.id;
  });
  after(() => f.t.close());

  const routes = (): [string, string, string, unknown?][] => {
    const org = `/api/organizations/${f.acme.uuid}`;
    return [
      ['GET', '/api/organizations/', 'organization:read'],
      ['POST', '/api/organizations/', 'organization:write', { name: 'Scoped New' }],
      ['GET', `${org}/`, 'organization:read'],
      ['GET', '/api/organizations/@current/', 'organization:read'],
      ['PATCH', `${org}/`, 'organization:write', { name: 'Acme' }],
      ['PUT', `${org}/`, 'organization:write', { name: 'Acme' }],
      ['DELETE', `${org}/`, 'organization:write'],
      ['GET', `${org}/members/`, 'organization_member:read'],
      ['PATCH', `${org}/members/${f.member.uuid}/`, 'organization_member:write', { level: 1 }],
      ['DELETE', `${org}/members/${f.member.uuid}/`, 'organization_member:write'],
      ['GET', `${org}/invites/`, 'organization_member:read'],
      ['POST', `${org}/invites/`, 'organization_member:write', { target_email: 'k@example.com' }],
      ['DELETE', `${org}/invites/${inviteId}/`, 'organization_member:write'],
      ['POST', `${org}/invites/bulk/`, 'organization_member:write', [{ target_email: 'bulk@example.com' }]],
      ['GET', `${org}/integrations/`, 'organization_integration:read'],
      ['GET', `${org}/integrations/${integrationId}/`, 'organization_integration:read'],
      ['DELETE', `${org}/integrations/${integrationId}/`, 'organization_integration:write'],
      ['GET', '/api/users/@me/', 'user:read'],
    ];
  };

  it('a key without the needed scope is refused on every endpoint, naming the scope; nothing changes', async () => {
    const key = await makeKey(f.t, f.owner.creds, ['project:read']);
    for (const [method, url, scope, body] of routes()) {
      const r = await f.t.request(method, url, { bearer: key, body });
      assert.deepEqual([r.status, r.body], [403, denied(`API key missing required scope '${scope}'`)], `${method} ${url}`);
    }
    assert.equal((await f.t.request('GET', `/api/organizations/${f.acme.uuid}/integrations/${integrationId}/`, f.owner.creds)).status, 200);
    assert.equal((await f.t.request('GET', `/api/organizations/${f.acme.uuid}/members/`, f.owner.creds)).body.count, 3);
  });

  it('a read key cannot write; a write key can read', async () => {
    const read = await makeKey(f.t, f.owner.creds, ['organization:read', 'organization_member:read', 'organization_integration:read']);
    for (const [method, url, scope, body] of routes()) {
      if (!scope.endsWith(':write')) continue;
      const r = await f.t.request(method, url, { bearer: read, body });
      assert.deepEqual([r.status, r.body], [403, denied(`API key missing required scope '${scope}'`)], `${method} ${url}`);
    }
    const write = await makeKey(f.t, f.owner.creds, ['organization:write', 'organization_member:write', 'organization_integration:write']);
    for (const [method, url, scope] of routes()) {
      if (method !== 'GET' || scope === 'user:read') continue;
      const r = await f.t.request(method, url, { bearer: write });
      assert.equal(r.status, 200, `${method} ${url}`);
    }
  });

  it('each scope opens its endpoints', async () => {
    const org = `/api/organizations/${f.acme.uuid}`;
    const k = await makeKey(f.t, f.owner.creds, ['organization_member:write']);
    let r = await f.t.request('POST', `${org}/invites/`, { bearer: k, body: { target_email: 'bykey@example.com' } });
    assert.equal(r.status, 201);
    r = await f.t.request('PATCH', `${org}/members/${f.member.uuid}/`, { bearer: k, body: { level: 8 } });
    assert.deepEqual([r.status, r.body.level], [200, 8]);
    r = await f.t.request('PATCH', `${org}/members/${f.member.uuid}/`, { bearer: k, body: { level: 1 } });
    assert.deepEqual([r.status, r.body.level], [200, 1]);
    r = await f.t.request('GET', `${org}/`, { bearer: k });
    assert.equal(r.status, 403);
    const me = await makeKey(f.t, f.owner.creds, ['user:read']);
    r = await f.t.request('GET', '/api/users/@me/', { bearer: me });
    assert.equal(r.body.email, 'olivia@example.com');
  });

  it('"*" opens everything the caller may do', async () => {
    const all = await makeKey(f.t, f.owner.creds, ['*']);
    const p = await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { bearer: all, body: { enforce_2fa: false } });
    assert.equal(p.status, 200, p.text);
    assert.equal((await f.t.request('GET', '/api/users/@me/', { bearer: all })).status, 200);
  });

  it('an org-limited key sees only its orgs: others 404 by id, 403 nested and @current', async () => {
    const k = await makeKey(f.t, f.owner.creds, ['*'], [f.acme.uuid]);
    // Creating Acme made it the owner's current org; @current must name one outside the key.
    assert.equal((await f.t.request('POST', '/api/user/using/1', f.owner.creds)).status, 200);
    let r = await f.t.request('GET', '/api/organizations/', { bearer: k });
    assert.deepEqual(
      r.body.results.map((o: any) => o.name),
      ['Acme'],
    );
    const main = (await f.t.request('GET', '/api/organizations/', f.owner.creds)).body.results.find((o: any) => o.name === 'Main Org.');
    r = await f.t.request('GET', `/api/organizations/${main.id}/`, { bearer: k });
    assert.deepEqual([r.status, r.body], [404, NOT_FOUND]);
    r = await f.t.request('GET', `/api/organizations/${main.id}/members/`, { bearer: k });
    assert.deepEqual([r.status, r.body], [403, denied(`API key does not have access to the requested organization: ID ${main.id}.`)]);
    r = await f.t.request('GET', '/api/organizations/@current/', { bearer: k });
    assert.deepEqual([r.status, r.body], [403, denied(`API key does not have access to the requested organization: ID ${main.id}.`)]);
    r = await f.t.request('GET', `/api/organizations/${f.acme.uuid}/members/`, { bearer: k });
    assert.equal(r.status, 200);
    r = await f.t.request('GET', '/api/users/@me/', { bearer: k });
    assert.equal(r.status, 200, 'the user endpoint ignores org limits');
  });

  it('members_can_use_personal_api_keys off: members keys refused in that org, admins keys still work', async () => {
    const memberKey = await makeKey(f.t, f.member.creds, ['*']);
    const adminKey = await makeKey(f.t, f.admin.creds, ['*']);
    await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { ...f.owner.creds, body: { members_can_use_personal_api_keys: false } });
    try {
      let r = await f.t.request('GET', `/api/organizations/${f.acme.uuid}/members/`, { bearer: memberKey });
      assert.deepEqual([r.status, r.body], [403, denied("Organization 'Acme' does not allow using personal API keys. Contact an admin to enable personal API keys for this organization.")]);
      r = await f.t.request('GET', `/api/organizations/${f.acme.uuid}/members/`, { bearer: adminKey });
      assert.equal(r.status, 200);
      r = await f.t.request('GET', `/api/organizations/${f.acme.uuid}/members/`, f.member.creds);
      assert.equal(r.status, 200, 'Basic callers are not affected');
    } finally {
      await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { ...f.owner.creds, body: { members_can_use_personal_api_keys: true } });
    }
  });
});
