// /api/serviceaccounts and glsa_ tokens end to end (docs/compat/grafana.md#service-accounts,
// #pagination and #tokens-and-keys).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isWellFormedServiceAccountToken } from '../../src/domain/secrets.ts';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';
import { countRows } from '../helpers/count-rows.ts';

const ACCESS = {
  'serviceaccounts.permissions:read': true,
  'serviceaccounts.permissions:write': true,
  'serviceaccounts:delete': true,
  'serviceaccounts:read': true,
  'serviceaccounts:write': true,
};

describe('Grafana service accounts /api/serviceaccounts', () => {
  let t: TestRoster;
  let orgB: number;
  const asOrgB = () => ({ ...t.admin, headers: { 'x-grafana-org-id': String(orgB) } });

  const createSa = async (name: string, role = 'Admin', creds: Creds = t.admin) => {
    const r = await t.request('POST', '/api/serviceaccounts', { ...creds, body: { name, role } });
    assert.equal(r.status, 201, r.text);
    return r.body as { id: number; login: string };
  };
  const createToken = async (saId: number, name: string, creds: Creds = t.admin, secondsToLive?: number) => {
    const r = await t.request('POST', `/api/serviceaccounts/${saId}/tokens`, { ...creds, body: { name, secondsToLive } });
    assert.equal(r.status, 200, r.text);
    return r.body as { id: number; name: string; key: string };
  };
  const count = (table: 'service_accounts' | 'tokens') => countRows(t.roster.ctx.db, table);

  before(async () => {
    t = await startRoster();
    orgB = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Org B' } })).body.orgId;
  });
  after(() => t.close());

  it('POST /api/serviceaccounts/ (trailing slash, as grafana-client) is 201 with the ServiceAccountDTO', async () => {
    const r = await t.request('POST', '/api/serviceaccounts/', { ...t.admin, body: { name: 'service', role: 'Admin' } });
    assert.equal(r.status, 201);
    assert.deepEqual(r.body, {
      id: r.body.id,
      uid: r.body.uid,
      name: 'service',
      login: 'sa-1-service',
      orgId: 1,
      isDisabled: false,
      role: 'Admin',
      tokens: 0,
      avatarUrl: r.body.avatarUrl,
    });
    assert.match(r.body.avatarUrl, /^\/avatar\/[0-9a-f]{32}$/);
  });

  it('GET /api/serviceaccounts/:id?accesscontrol=true has exactly the 5 accessControl keys', async () => {
    const sa = await createSa('Ac check');
    const r = await t.request('GET', `/api/serviceaccounts/${sa.id}?accesscontrol=true`, t.admin);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.accessControl, ACCESS);
    assert.deepEqual([r.body.name, r.body.login, r.body.role, r.body.orgId, r.body.isDisabled, r.body.teams, r.body.tokens], ['Ac check', 'sa-1-ac-check', 'Admin', 1, false, [], 0]);
    assert.ok(r.body.createdAt && r.body.updatedAt);
    const plain = await t.request('GET', `/api/serviceaccounts/${sa.id}`, t.admin);
    assert.equal(plain.body.accessControl, undefined);
  });

  it('role defaults to Viewer; an invalid role is 400 "invalid role specified"; a duplicate name 400 "service account already exists"', async () => {
    const r = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'Defaulted' } });
    assert.deepEqual([r.status, r.body.role], [201, 'Viewer']);
    const before = await count('service_accounts');
    let e = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'bad role', role: 'admin' } });
    assert.deepEqual([e.status, e.body.message, e.body.messageId], [400, 'invalid role specified', 'serviceaccounts.ErrInvalidRoleSpecified']);
    e = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'Defaulted' } });
    assert.deepEqual([e.status, e.body.message], [400, 'service account already exists']);
    e = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'defaulted' } });
    assert.deepEqual([e.status, e.body.message], [400, 'service account already exists'], 'same login');
    assert.equal(await count('service_accounts'), before);
  });

  it('malformed JSON or a missing name is 400 "Bad request data" and creates nothing', async () => {
    const before = await count('service_accounts');
    for (const rawBody of ['{"name":', '{}', '{"name":""}', '{"name":1}', '{"name":"x","isDisabled":"yes"}']) {
      const r = await t.request('POST', '/api/serviceaccounts', { ...t.admin, rawBody });
      assert.deepEqual([r.status, r.body.message], [400, 'Bad request data'], rawBody);
    }
    assert.equal(await count('service_accounts'), before);
  });

  it('PATCH answers "Service account updated" with the profile; bad input changes nothing', async () => {
    const sa = await createSa('patchme', 'Viewer');
    let r = await t.request('PATCH', `/api/serviceaccounts/${sa.id}`, { ...t.admin, body: { name: 'foo', role: 'Admin' } });
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.message, r.body.id, r.body.name, r.body.serviceaccount.role, r.body.serviceaccount.name], ['Service account updated', sa.id, 'foo', 'Admin', 'foo']);
    assert.equal(r.body.serviceaccount.login, sa.login, 'the login stays as created');
    r = await t.request('PATCH', `/api/serviceaccounts/${sa.id}`, { ...t.admin, rawBody: '{"role":' });
    assert.deepEqual([r.status, r.body.message], [400, 'Bad request data']);
    r = await t.request('PATCH', `/api/serviceaccounts/${sa.id}`, { ...t.admin, body: { role: 'Boss' } });
    assert.deepEqual([r.status, r.body.message], [400, 'invalid role specified']);
    await createSa('taken name');
    r = await t.request('PATCH', `/api/serviceaccounts/${sa.id}`, { ...t.admin, body: { name: 'taken name' } });
    assert.deepEqual([r.status, r.body.message], [400, 'service account already exists']);
    const g = await t.request('GET', `/api/serviceaccounts/${sa.id}`, t.admin);
    assert.deepEqual([g.body.name, g.body.role], ['foo', 'Admin']);
  });

  it('tokens: create echoes the name with a glsa_ key, list shows it, a duplicate name is 400, delete works', async () => {
    const sa = await createSa('tokened');
    const tok = await createToken(sa.id, 'random-token');
    assert.equal(tok.name, 'random-token');
    assert.ok(isWellFormedServiceAccountToken(tok.key), tok.key);
    const dup = await t.request('POST', `/api/serviceaccounts/${sa.id}/tokens`, { ...t.admin, body: { name: 'random-token' } });
    assert.equal(dup.status, 400);
    assert.match(dup.body.message, /service account token with given name already exists in the organization/);
    const other = await createSa('other tokened');
    const dup2 = await t.request('POST', `/api/serviceaccounts/${other.id}/tokens`, { ...t.admin, body: { name: 'random-token' } });
    assert.equal(dup2.status, 400, 'names are unique across the org');
    const list = await t.request('GET', `/api/serviceaccounts/${sa.id}/tokens`, t.admin);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, [
      { id: tok.id, name: 'random-token', created: list.body[0].created, lastUsedAt: null, expiration: null, secondsUntilExpiration: 0, hasExpired: false, isRevoked: false },
    ]);
    assert.equal((await t.request('GET', `/api/serviceaccounts/${sa.id}`, t.admin)).body.tokens, 1);
    const del = await t.request('DELETE', `/api/serviceaccounts/${sa.id}/tokens/${tok.id}`, t.admin);
    assert.deepEqual([del.status, del.body], [200, { message: 'Service account token deleted' }]);
    const again = await t.request('DELETE', `/api/serviceaccounts/${sa.id}/tokens/${tok.id}`, t.admin);
    assert.deepEqual([again.status, again.body.message], [404, 'Failed to delete service account token']);
    assert.deepEqual((await t.request('GET', `/api/serviceaccounts/${sa.id}/tokens`, t.admin)).body, []);
  });

  // Grafana answers 200 [] here; Roster answers as for the account itself (trust docs).
  it('GET /api/serviceaccounts/9999/tokens is 404 "service account not found"', async () => {
    const r = await t.request('GET', '/api/serviceaccounts/9999/tokens', t.admin);
    assert.deepEqual([r.status, r.body.message, r.body.messageId], [404, 'service account not found', 'serviceaccounts.ErrNotFound']);
  });

  it('secondsToLive sets the expiration; a negative value and bad JSON are 400 and store nothing', async () => {
    const sa = await createSa('expiring');
    const tok = await createToken(sa.id, 'short', t.admin, 3600);
    const [row] = (await t.request('GET', `/api/serviceaccounts/${sa.id}/tokens`, t.admin)).body;
    assert.equal(row.id, tok.id);
    assert.ok(Math.abs(Date.parse(row.expiration) - Date.now() - 3600_000) < 60_000);
    assert.ok(row.secondsUntilExpiration > 3500 && row.secondsUntilExpiration <= 3600);
    const before = await count('tokens');
    let r = await t.request('POST', `/api/serviceaccounts/${sa.id}/tokens`, { ...t.admin, body: { name: 'neg', secondsToLive: -1 } });
    assert.equal(r.status, 400);
    for (const rawBody of ['{"name":', '{}', '{"name":""}', '{"name":"x","secondsToLive":"10"}']) {
      r = await t.request('POST', `/api/serviceaccounts/${sa.id}/tokens`, { ...t.admin, rawBody });
      assert.deepEqual([r.status, r.body.message], [400, 'Bad request data'], rawBody);
    }
    assert.equal(await count('tokens'), before);
  });

  it('search: "serv" finds 1, page=9999 is empty, page=-9999 is page 1, and totalCount counts all', async () => {
    const t2 = await startRoster();
    try {
      await t2.request('POST', '/api/serviceaccounts/', { ...t2.admin, body: { name: 'service', role: 'Admin' } });
      let r = await t2.request('GET', '/api/serviceaccounts/search?query=serv', t2.admin);
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.totalCount, r.body.serviceAccounts.length, r.body.page, r.body.perPage], [1, 1, 1, 1000]);
      assert.deepEqual(Object.keys(r.body.serviceAccounts[0]).sort(), ['avatarUrl', 'id', 'isDisabled', 'login', 'name', 'orgId', 'role', 'tokens', 'uid']);
      r = await t2.request('GET', '/api/serviceaccounts/search?query=serv&page=9999', t2.admin);
      assert.deepEqual([r.status, r.body.serviceAccounts], [200, []]);
      r = await t2.request('GET', '/api/serviceaccounts/search?query=serv&page=-9999', t2.admin);
      assert.deepEqual([r.body.page, r.body.serviceAccounts.length], [1, 1]);
      await t2.request('POST', '/api/serviceaccounts/', { ...t2.admin, body: { name: 'service-2', role: 'Admin' } });
      r = await t2.request('GET', '/api/serviceaccounts/search?perpage=1&page=2', t2.admin);
      assert.deepEqual([r.body.totalCount, r.body.serviceAccounts.map((s: { name: string }) => s.name)], [2, ['service-2']]);
      r = await t2.request('GET', '/api/serviceaccounts/search?query=SERVICE-2', t2.admin);
      assert.equal(r.body.totalCount, 1, 'case-insensitive');
      r = await t2.request('GET', '/api/serviceaccounts/search?disabled=true', t2.admin);
      assert.equal(r.body.totalCount, 0);
      r = await t2.request('GET', '/api/serviceaccounts/search?accesscontrol=true', t2.admin);
      assert.deepEqual(r.body.serviceAccounts[0].accessControl, ACCESS);
    } finally {
      await t2.close();
    }
  });

  it('a non-numeric id is 400 "Service Account ID is invalid"; an unknown one 404 "service account not found"', async () => {
    let r = await t.request('GET', '/api/serviceaccounts/abc', t.admin);
    assert.deepEqual([r.status, r.body.message], [400, 'Service Account ID is invalid']);
    r = await t.request('GET', '/api/serviceaccounts/9999', t.admin);
    assert.deepEqual([r.status, r.body.message, r.body.messageId], [404, 'service account not found', 'serviceaccounts.ErrNotFound']);
    r = await t.request('DELETE', '/api/serviceaccounts/1/tokens/abc', t.admin);
    assert.deepEqual([r.status, r.body.message], [400, 'Token ID is invalid']);
  });

  it('DELETE answers "Service account deleted" and removes its tokens', async () => {
    const sa = await createSa('deleteme');
    const tok = await createToken(sa.id, 'deleteme-token');
    assert.equal((await t.request('GET', '/api/org', { bearer: tok.key })).status, 200);
    const r = await t.request('DELETE', `/api/serviceaccounts/${sa.id}`, t.admin);
    assert.deepEqual([r.status, r.body], [200, { message: 'Service account deleted' }]);
    assert.equal((await t.request('GET', `/api/serviceaccounts/${sa.id}`, t.admin)).status, 404);
    const after = await t.request('GET', '/api/org', { bearer: tok.key });
    assert.deepEqual([after.status, after.body.messageId], [401, 'api-key.invalid']);
    assert.equal((await t.request('DELETE', `/api/serviceaccounts/${sa.id}`, t.admin)).status, 404);
  });

  it('a glsa_ token authenticates GET /api/org as Bearer (and as api_key basic) in its own org', async () => {
    const sa = await createSa('org b bot', 'Admin', asOrgB());
    const tok = await createToken(sa.id, 'b-token', asOrgB());
    let r = await t.request('GET', '/api/org', { bearer: tok.key });
    assert.deepEqual([r.status, r.body.id, r.body.name], [200, orgB, 'Org B']);
    r = await t.request('GET', '/api/org', { basic: ['api_key', tok.key] });
    assert.deepEqual([r.status, r.body.id], [200, orgB]);
    r = await t.request('GET', '/api/org', { bearer: tok.key, headers: { 'x-grafana-org-id': String(orgB) } });
    assert.equal(r.status, 200);
    const list = (await t.request('GET', `/api/serviceaccounts/${sa.id}/tokens`, asOrgB())).body;
    assert.notEqual(list[0].lastUsedAt, null, 'use is recorded');
  });

  it('a token of org B never reads or changes org A', async () => {
    const sa = await createSa('org b reader', 'Admin', asOrgB());
    const tok = await createToken(sa.id, 'b-reader', asOrgB());
    const a = { bearer: tok.key, headers: { 'x-grafana-org-id': '1' } };
    let r = await t.request('GET', '/api/org', a);
    assert.deepEqual([r.status, r.body.messageId, r.body.message], [401, 'api-key.organization-mismatch', 'API key does not belong to the requested organization']);
    r = await t.request('PUT', '/api/org', { ...a, body: { name: 'pwned' } });
    assert.equal(r.status, 401);
    r = await t.request('GET', '/api/orgs/1', { bearer: tok.key });
    assert.equal(r.status, 403);
    r = await t.request('PUT', '/api/orgs/1', { bearer: tok.key, body: { name: 'pwned' } });
    assert.equal(r.status, 403);
    const mainSa = await createSa('main only');
    r = await t.request('GET', `/api/serviceaccounts/${mainSa.id}`, { bearer: tok.key });
    assert.equal(r.status, 404);
    r = await t.request('POST', `/api/serviceaccounts/${mainSa.id}/tokens`, { bearer: tok.key, body: { name: 'steal' } });
    assert.equal(r.status, 404);
    assert.equal((await t.request('GET', '/api/org', t.admin)).body.name, 'Main Org.');
  });

  it('a token cannot call server-admin routes (403)', async () => {
    const sa = await createSa('no admin');
    const tok = await createToken(sa.id, 'no-admin');
    for (const [method, url, body] of [
      ['GET', '/api/orgs', undefined],
      ['POST', '/api/orgs', { name: 'token org' }],
      ['GET', '/api/users', undefined],
      ['POST', '/api/admin/users', { login: 'x', password: 'xxxxxxxx' }],
    ] as const) {
      const r = await t.request(method, url, { bearer: tok.key, body });
      assert.equal(r.status, 403, `${method} ${url}`);
    }
  });

  it('a deleted token stops working at once; a disabled account and an expired token are refused', async () => {
    const sa = await createSa('lifecycle');
    const tok = await createToken(sa.id, 'lifecycle-1');
    assert.equal((await t.request('GET', '/api/org', { bearer: tok.key })).status, 200);
    await t.request('DELETE', `/api/serviceaccounts/${sa.id}/tokens/${tok.id}`, t.admin);
    let r = await t.request('GET', '/api/org', { bearer: tok.key });
    assert.deepEqual([r.status, r.body.messageId], [401, 'api-key.invalid']);

    const tok2 = await createToken(sa.id, 'lifecycle-2');
    await t.request('PATCH', `/api/serviceaccounts/${sa.id}`, { ...t.admin, body: { isDisabled: true } });
    r = await t.request('GET', '/api/org', { bearer: tok2.key });
    assert.deepEqual([r.status, r.body.messageId], [401, 'identity.disabled']);
    await t.request('PATCH', `/api/serviceaccounts/${sa.id}`, { ...t.admin, body: { isDisabled: false } });
    assert.equal((await t.request('GET', '/api/org', { bearer: tok2.key })).status, 200);

    const tok3 = await createToken(sa.id, 'lifecycle-3', t.admin, 60);
    // Simulate the passage of time: the token's expiry lies in the past.
    await t.roster.ctx.db
      .updateTable('tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', tok3.id)
      .execute();
    r = await t.request('GET', '/api/org', { bearer: tok3.key });
    assert.deepEqual([r.status, r.body.messageId], [401, 'api-key.expired']);
    const row = (await t.request('GET', `/api/serviceaccounts/${sa.id}/tokens`, t.admin)).body.find((x: { id: number }) => x.id === tok3.id);
    assert.deepEqual([row.hasExpired, row.secondsUntilExpiration], [true, 0]);
    r = await t.request('GET', '/api/serviceaccounts/search?expiredTokens=true', t.admin);
    assert.deepEqual(
      r.body.serviceAccounts.map((s: { name: string }) => s.name),
      ['lifecycle'],
    );
  });

  it('a Viewer token or user cannot manage service accounts (RBAC 403)', async () => {
    const sa = await createSa('viewer bot', 'Viewer');
    const tok = await createToken(sa.id, 'viewer-bot');
    let r = await t.request('GET', '/api/serviceaccounts/search', { bearer: tok.key });
    assert.deepEqual([r.status, r.body.title], [403, 'Access denied']);
    r = await t.request('POST', '/api/serviceaccounts', { bearer: tok.key, body: { name: 'escalate', role: 'Admin' } });
    assert.equal(r.status, 403);
    await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'plain', password: 'plain-pw' } });
    r = await t.request('GET', `/api/serviceaccounts/${sa.id}/tokens`, { basic: ['plain', 'plain-pw'] });
    assert.equal(r.status, 403);
  });

  it("another org's service account id is 404 everywhere and its data never changes", async () => {
    const sa = await createSa('b private', 'Editor', asOrgB());
    const tok = await createToken(sa.id, 'b-private-token', asOrgB());
    const calls: [string, string, unknown][] = [
      ['GET', `/api/serviceaccounts/${sa.id}`, undefined],
      ['GET', `/api/serviceaccounts/${sa.id}/tokens`, undefined],
      ['PATCH', `/api/serviceaccounts/${sa.id}`, { name: 'hijacked', role: 'Admin' }],
      ['POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'hijack-token' }],
      ['DELETE', `/api/serviceaccounts/${sa.id}/tokens/${tok.id}`, undefined],
      ['DELETE', `/api/serviceaccounts/${sa.id}`, undefined],
    ];
    for (const [method, url, body] of calls) {
      const r = await t.request(method, url, { ...t.admin, body });
      assert.deepEqual([r.status, r.body.message], [404, 'service account not found'], `${method} ${url}`);
    }
    assert.equal((await t.request('GET', '/api/serviceaccounts/search?query=b%20private', t.admin)).body.totalCount, 0);
    const g = await t.request('GET', `/api/serviceaccounts/${sa.id}`, asOrgB());
    assert.deepEqual([g.body.name, g.body.role, g.body.tokens], ['b private', 'Editor', 1]);
    assert.equal((await t.request('GET', '/api/org', { bearer: tok.key })).status, 200);
  });
});
