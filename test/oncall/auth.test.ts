// OnCall authentication (docs/compat/decisions.md#one-identity-every-face,
// docs/compat/oncall.md#authentication): service-account
// tokens as Bearer and raw, Basic and session callers, and 403 "Invalid token." for every failure.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startRoster, type TestRoster } from '../helpers/roster.ts';
import { makeOrg, makeToken } from './fixtures.ts';

describe('OnCall authentication', () => {
  let t: TestRoster;
  let token: string;
  before(async () => {
    t = await startRoster();
    token = await makeToken(t, 1, 'Viewer');
  });
  after(() => t.close());

  it('accepts the token as Bearer and raw, with or without X-Grafana-URL', async () => {
    for (const creds of [{ bearer: token }, { raw: token }, { raw: token, headers: { 'x-grafana-url': 'https://elsewhere.example' } }]) {
      const r = await t.request('GET', '/api/v1/users/', creds);
      assert.equal(r.status, 200, JSON.stringify(creds));
    }
  });

  it('accepts Basic and session callers', async () => {
    let r = await t.request('GET', '/api/v1/users/current', t.admin);
    assert.deepEqual([r.status, r.body.username, r.body.role], [200, 'admin', 'admin']);
    const login = await t.request('POST', '/login', { body: { user: 'admin', password: ADMIN_PASSWORD } });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    r = await t.request('GET', '/api/v1/users/current', { cookie });
    assert.deepEqual([r.status, r.body.username], [200, 'admin']);
  });

  it('every failure is 403 {"detail":"Invalid token."} without WWW-Authenticate', async () => {
    const revoked = await makeToken(t, 1, 'Admin');
    await t.roster.ctx.db.updateTable('tokens').set({ revoked_at: new Date().toISOString() }).where('hash', '=', t.roster.ctx.hasher.hash(revoked)).execute();
    const cases: Record<string, string>[] = [
      {},
      { authorization: '' },
      { authorization: 'abc123' },
      { authorization: 'glsa_123' },
      { authorization: `Token ${token}` },
      { authorization: `Bearer ${token}x` },
      { authorization: `Bearer ${revoked}` },
      { authorization: 'phx_' + 'a'.repeat(47) },
      { authorization: 'Basic ' + Buffer.from('admin:wrong').toString('base64') },
      { cookie: 'grafana_session=nope' },
    ];
    for (const headers of cases) {
      for (const [method, url] of [
        ['GET', '/api/v1/users/'],
        ['GET', '/api/v1/organizations'],
        ['POST', '/api/v1/teams'],
        ['GET', '/api/v1/teams/TAAM1K1NNEHAG'],
      ]) {
        const r = await t.request(method, url, { headers });
        assert.deepEqual([r.status, r.body], [403, { detail: 'Invalid token.' }], `${JSON.stringify(headers)} ${method} ${url}`);
        assert.equal(r.headers['www-authenticate'], undefined);
      }
    }
  });

  it('a token never leaves its org, whatever X-Grafana-Org-Id says', async () => {
    const other = await makeOrg(t, 'Elsewhere');
    const r = await t.request('GET', '/api/v1/users/', { raw: token, headers: { 'x-grafana-org-id': String(other) } });
    assert.deepEqual([r.status, r.body], [403, { detail: 'Invalid token.' }]);
  });

  it('a Basic caller acts in the org X-Grafana-Org-Id selects, if a member', async () => {
    const other = await makeOrg(t, 'Admins Org');
    let r = await t.request('GET', '/api/v1/organizations/', { ...t.admin, headers: { 'x-grafana-org-id': String(other) } });
    assert.equal(r.status, 200);
    const row = await t.roster.ctx.db.selectFrom('orgs').select('public_id').where('id', '=', other).executeTakeFirstOrThrow();
    assert.equal(r.body.results[0].id, row.public_id);
    // not a member of org 999: no org, no permissions
    r = await t.request('GET', '/api/v1/organizations/', { ...t.admin, headers: { 'x-grafana-org-id': '999' } });
    assert.deepEqual([r.status, r.body], [403, { detail: 'You do not have permission to perform this action.' }]);
  });

  it('unknown routes under /api/v1 are 404 Not found.', async () => {
    const r = await t.request('GET', '/api/v1/userz/', { raw: token });
    assert.deepEqual([r.status, r.body], [404, { detail: 'Not found.' }]);
  });

  it('OPTIONS answers DRF metadata with Allow', async () => {
    const r = await t.request('OPTIONS', '/api/v1/teams/', { raw: token });
    assert.equal(r.status, 200);
    assert.equal(r.body.name, 'Team List');
    assert.equal(r.headers['allow'], 'GET, HEAD, OPTIONS');
  });
});
