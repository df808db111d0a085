// Quotas from the settings (ROSTER_QUOTA_*; docs/quotas.md): the server-wide user and org quotas
// through the Grafana and PostHog faces, single sign-on's sign-up and the CLI, under concurrent
// requests, and per-org defaults that a server admin overrides for one org.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from '../cli/in-process.ts';
import { signInOverHttp, startProvider, type TestProvider } from '../helpers/oidc.ts';
import { countRows } from '../helpers/count-rows.ts';

const PUBLIC = 'http://roster.test';
const QUOTAS = { ROSTER_QUOTA_GLOBAL_USER: '3', ROSTER_QUOTA_GLOBAL_ORG: '3', ROSTER_QUOTA_ORG_TEAM: '1' };
// The CLI reads the same settings from the environment.
Object.assign(process.env, QUOTAS);

describe('quotas from the settings: users and orgs on the server, per-org defaults', () => {
  let t: TestRoster;
  let op: TestProvider;
  const count = (table: 'users' | 'orgs' | 'teams') => countRows(t.roster.ctx.db, table);

  before(async () => {
    op = await startProvider(`${PUBLIC}/login/generic_oauth`);
    t = await startRoster(op.env({ ROSTER_PUBLIC_URL: PUBLIC, ROSTER_OIDC_ORG_MAPPING: '*:1:Viewer *:SsoOrg:Viewer', ...QUOTAS }));
  });
  after(async () => {
    await t.close();
    await op.close();
  });

  it('settings are checked at start: whole numbers from -1', () => {
    for (const bad of ['abc', '-2', '1.5', '', '1e3']) {
      assert.throws(() => loadConfig({}, { ROSTER_QUOTA_ORG_USER: bad }), ConfigError, bad);
    }
    assert.equal(loadConfig({}, { ROSTER_QUOTA_ORG_USER: '10' }).quotas.orgUser, 10);
    assert.equal(loadConfig({}, {}).quotas.globalUser, -1);
  });

  it('an org lists the default limits; a server admin overrides one for one org', async () => {
    const r = await t.request('GET', '/api/org/quotas', t.admin);
    assert.deepEqual(
      (r.body as { target: string; limit: number }[]).map((q) => [q.target, q.limit]),
      [
        ['org_user', -1],
        ['api_key', -1],
        ['service_account', -1],
        ['team', 1],
      ],
    );
    assert.equal((await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'first' } })).status, 200);
    const refused = await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'second' } });
    assert.deepEqual([refused.status, refused.body], [403, { message: 'team Quota reached' }]);
    assert.equal((await t.request('PUT', '/api/orgs/1/quotas/team', { ...t.admin, body: { limit: 2 } })).status, 200);
    assert.equal((await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'second' } })).status, 200);
  });

  it("single sign-on's org mapping skips an org at its member quota, and joins it once there is room", async () => {
    op.accounts.set('sub-sam', { email: 'sam@example.com', preferred_username: 'sam' });
    const first = await signInOverHttp(t, op, 'sub-sam');
    assert.ok(first.cookie, first.res.text);
    const org = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'SsoOrg' } });
    assert.equal(org.status, 200, org.text);
    // The creator fills it.
    assert.equal((await t.request('PUT', `/api/orgs/${org.body.orgId}/quotas/org_user`, { ...t.admin, body: { limit: 1 } })).status, 200);
    const orgsOfSam = async () => {
      const sam = await t.roster.ctx.db.selectFrom('users').select('id').where('login', '=', 'sam').executeTakeFirstOrThrow();
      return (await t.request('GET', `/api/users/${sam.id}/orgs`, t.admin)).body.map((o: { name: string }) => o.name).sort();
    };
    const skipped = await signInOverHttp(t, op, 'sub-sam');
    assert.ok(skipped.cookie, 'the sign-in goes on');
    assert.deepEqual(await orgsOfSam(), ['Main Org.']);
    assert.equal((await t.request('PUT', `/api/orgs/${org.body.orgId}/quotas/org_user`, { ...t.admin, body: { limit: 2 } })).status, 200);
    assert.ok((await signInOverHttp(t, op, 'sub-sam')).cookie);
    assert.deepEqual(await orgsOfSam(), ['Main Org.', 'SsoOrg']);
  });

  it('users on the server (global_user): racing creations fill it exactly, then Grafana and sign-up are refused', async () => {
    const free = 3 - (await count('users'));
    assert.ok(free > 0);
    const results = await Promise.all([1, 2, 3, 4].map((i) => t.request('POST', '/api/admin/users', { ...t.admin, body: { login: `u${i}`, password: `u${i}-password` } })));
    assert.equal(results.filter((r) => r.status === 200).length, free, results.map((r) => r.text).join('\n'));
    assert.equal(results.filter((r) => r.status === 403).length, 4 - free);
    assert.deepEqual(results.find((r) => r.status === 403)!.body, { message: 'user Quota reached' });
    assert.equal(await count('users'), 3);
    op.accounts.set('sub-newcomer', { email: 'newcomer@example.com', preferred_username: 'newcomer' });
    const { res, cookie } = await signInOverHttp(t, op, 'sub-newcomer');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/login');
    assert.match(res.body.message, /user Quota reached/);
    assert.equal(cookie, undefined);
    assert.equal(await count('users'), 3);
  });

  it('the CLI meets the same quotas: a user past global_user, an import past the team default (nothing imported)', async () => {
    const [users, orgs, teams] = [await count('users'), await count('orgs'), await count('teams')];
    const archive = {
      format: 'roster-org/1',
      org: { name: 'Imported' },
      teams: [
        { name: 'one', members: [] },
        { name: 'two', members: [] },
      ],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'roster-quotas-')), 'org.json');
    writeFileSync(file, JSON.stringify(archive));
    const user = await runCliInProcess(t.config.databaseUrl, ['user', 'create', 'cli-user', '--password', 'cli-user-password']);
    const imported = await runCliInProcess(t.config.databaseUrl, ['import', file]);
    assert.notEqual(user.code, 0);
    assert.match(user.stderr, /user Quota reached/);
    assert.notEqual(imported.code, 0);
    assert.match(imported.stderr, /team Quota reached/);
    assert.deepEqual([await count('users'), await count('orgs'), await count('teams')], [users, orgs, teams]);
  });

  it('orgs on the server (global_org): racing creations through both faces fill it exactly, then both refuse', async () => {
    const free = 3 - (await count('orgs'));
    assert.ok(free > 0);
    const results = await Promise.all([
      t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'G1' } }),
      t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'G2' } }),
      t.request('POST', '/api/organizations/', { ...t.admin, body: { name: 'P1' } }),
      t.request('POST', '/api/organizations/', { ...t.admin, body: { name: 'P2' } }),
    ]);
    assert.equal(results.filter((r) => r.status === 200 || r.status === 201).length, free, results.map((r) => r.text).join('\n'));
    assert.equal(await count('orgs'), 3);
    const g = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'G3' } });
    assert.deepEqual([g.status, g.body], [403, { message: 'org Quota reached' }]);
    const p = await t.request('POST', '/api/organizations/', { ...t.admin, body: { name: 'P3' } });
    assert.deepEqual([p.status, p.body], [403, { type: 'authentication_error', code: 'permission_denied', detail: 'org Quota reached', attr: null }]);
    // Deleting an org frees its place.
    const victim = await t.roster.ctx.db.selectFrom('orgs').select('id').where('id', '!=', 1).executeTakeFirstOrThrow();
    assert.equal((await t.request('DELETE', `/api/orgs/${victim.id}`, t.admin)).status, 200);
    assert.equal((await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'G3' } })).status, 200);
  });
});
