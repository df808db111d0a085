// The document's `security` is what the faces do: one operation of each face is called with
// every kind of credential the document names, and exactly the kinds it lists for that operation
// are let in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';

describe('OpenAPI security matches what each face accepts', () => {
  let t: TestRoster;
  let doc: any;
  /** One working credential per security scheme of the document. */
  let credentials: Record<string, { creds: Creds; query?: string }>;

  before(async () => {
    t = await startRoster();
    doc = (await t.request('GET', '/api/openapi.json')).body;
    const sa = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'robot', role: 'Admin' } });
    assert.equal(sa.status, 201, sa.text);
    const token = await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...t.admin, body: { name: 'ci' } });
    assert.equal(token.status, 200, token.text);
    const key = await t.request('POST', '/api/personal_api_keys/', { ...t.admin, body: { label: 'ci', scopes: ['*'] } });
    assert.equal(key.status, 201, key.text);
    const scim = await t.request('POST', '/api/roster/v1/orgs/1/scim-tokens', { ...t.admin, body: { name: 'idp' } });
    assert.equal(scim.status, 201, scim.text);
    const login = await t.request('POST', '/login', { body: { user: 'admin', password: 'admin-secret' } });
    assert.equal(login.status, 200, login.text);
    credentials = {
      basic: { creds: t.admin },
      serviceAccountToken: { creds: { bearer: token.body.key } },
      oncallToken: { creds: { raw: token.body.key } },
      personalApiKey: { creds: { bearer: key.body.value } },
      personalApiKeyQuery: { creds: {}, query: `personal_api_key=${encodeURIComponent(key.body.value)}` },
      scimToken: { creds: { bearer: scim.body.token } },
      sessionCookie: { creds: { cookie: String(login.headers['set-cookie']).split(';')[0] } },
    };
    assert.deepEqual(Object.keys(credentials).sort(), Object.keys(doc.components.securitySchemes).sort());
  });
  after(() => t.close());

  // One read per face that the server admin, its token and its key may all make.
  for (const [face, path, url] of [
    ['grafana', '/api/org', '/api/org'],
    ['oncall', '/api/v1/organizations', '/api/v1/organizations/'],
    ['posthog', '/api/organizations', '/api/organizations/'],
    ['roster', '/api/roster/v1/orgs/{orgId}/settings', '/api/roster/v1/orgs/1/settings'],
    ['scim', '/scim/v2/Users', '/scim/v2/Users'],
  ]) {
    it(`${face}: GET ${path}`, async () => {
      const listed = new Set((doc.paths[path].get.security as object[]).flatMap((r) => Object.keys(r)));
      assert.ok(listed.size > 0);
      for (const [scheme, { creds, query }] of Object.entries(credentials)) {
        const r = await t.request('GET', query ? `${url}?${query}` : url, creds);
        if (listed.has(scheme)) assert.equal(r.status, 200, `${scheme} is documented for ${face}: ${r.text}`);
        else assert.ok(r.status === 401 || r.status === 403, `${scheme} is not documented for ${face}, yet answered ${r.status}`);
      }
    });
  }

  it('an operation needing no credentials answers without any', async () => {
    assert.deepEqual(doc.paths['/api/health'].get.security[0], {});
    assert.equal((await t.request('GET', '/api/health')).status, 200);
    assert.deepEqual(doc.paths['/metrics'].get.security, []);
    assert.equal((await t.request('GET', '/metrics')).status, 200);
  });
});
