// Quotas set through the API (docs/quotas.md, docs/compat/grafana.md#quotas): Grafana's quota
// routes, who may read and set them, bad input, and each org and user target enforced through
// the Grafana face, the PostHog face, the native API and the CLI, under concurrent requests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';
import { runCliInProcess } from '../cli/in-process.ts';
import { countRows } from '../helpers/count-rows.ts';

describe('Grafana quotas /api/org/quotas, /api/orgs/:id/quotas, /api/admin/users/:id/quotas, /api/user/quotas', () => {
  let t: TestRoster;
  let orgA: number;
  let orgAUuid: string;
  const users: Record<string, { id: number; creds: Creds }> = {};
  const inA = (creds: Creds): Creds => ({ ...creds, headers: { 'x-grafana-org-id': String(orgA) } });

  const makeUser = async (login: string) => {
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, password: `${login}-password` } });
    assert.equal(r.status, 200, r.text);
    users[login] = { id: r.body.id, creds: { basic: [login, `${login}-password`] } };
    return users[login];
  };
  const addToA = (login: string, role = 'Viewer') => t.request('POST', `/api/orgs/${orgA}/users`, { ...t.admin, body: { loginOrEmail: login, role } });
  const putOrgQuota = (target: string, limit: unknown, creds: Creds = t.admin, orgId = orgA) => t.request('PUT', `/api/orgs/${orgId}/quotas/${target}`, { ...creds, body: { limit } });
  const orgQuota = async (target: string, orgId = orgA) => {
    const r = await t.request('GET', `/api/orgs/${orgId}/quotas`, t.admin);
    assert.equal(r.status, 200, r.text);
    return (r.body as { target: string; limit: number; used: number }[]).find((q) => q.target === target)!;
  };
  const rows = (table: 'org_quotas' | 'user_quotas' | 'users' | 'orgs' | 'teams' | 'service_accounts' | 'tokens' | 'org_members') => countRows(t.roster.ctx.db, table);
  const quotaRows = async () => [await rows('org_quotas'), await rows('user_quotas')];

  before(async () => {
    t = await startRoster({ ROSTER_ALLOW_ORG_CREATE: 'true' });
    const r = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Quota Org' } });
    orgA = r.body.orgId;
    orgAUuid = (await t.roster.ctx.db.selectFrom('orgs').select('uuid').where('id', '=', orgA).executeTakeFirstOrThrow()).uuid;
    for (const login of ['alice', 'bob', 'carol']) await makeUser(login);
    assert.equal((await addToA('alice', 'Admin')).status, 200);
    assert.equal((await addToA('bob', 'Viewer')).status, 200);
  });
  after(() => t.close());

  it('lists every org target with Grafana QuotaDTO fields; unlimited (-1) by default, used counted', async () => {
    const r = await t.request('GET', '/api/org/quotas', inA(t.admin));
    assert.equal(r.status, 200, r.text);
    // admin (creator), alice, bob
    assert.deepEqual(r.body, [
      { org_id: orgA, target: 'org_user', limit: -1, used: 3 },
      { org_id: orgA, target: 'api_key', limit: -1, used: 0 },
      { org_id: orgA, target: 'service_account', limit: -1, used: 0 },
      { org_id: orgA, target: 'team', limit: -1, used: 0 },
    ]);
    const byId = await t.request('GET', `/api/orgs/${orgA}/quotas`, t.admin);
    assert.deepEqual(byId.body, r.body);
  });

  it('every member reads their org quotas (orgs.quotas:read); outsiders and other orgs are refused', async () => {
    const viewer = await t.request('GET', '/api/org/quotas', inA(users.bob.creds));
    assert.equal(viewer.status, 200, viewer.text);
    assert.equal(viewer.body.length, 4);
    const outsider = await t.request('GET', `/api/orgs/${orgA}/quotas`, users.carol.creds);
    assert.equal(outsider.status, 403);
    assert.equal(outsider.body.title, 'Access denied');
    assert.match(outsider.body.message, /orgs\.quotas:read/);
    // alice administers org A, not org 1's quotas... she is a Viewer of org 1 (auto-assign), so reads those, never writes.
    const foreign = await t.request('PUT', '/api/orgs/1/quotas/org_user', { ...users.alice.creds, body: { limit: 1 } });
    assert.equal(foreign.status, 403);
    const missing = await t.request('GET', '/api/orgs/999999/quotas', t.admin);
    assert.deepEqual([missing.status, missing.body], [404, { message: 'Organization not found' }]);
  });

  it('only server admins set quotas (orgs.quotas:write, users.quotas:write): an org Admin is refused and nothing is stored', async () => {
    const before = await quotaRows();
    const own = await putOrgQuota('org_user', 1, inA(users.alice.creds));
    assert.equal(own.status, 403);
    assert.match(own.body.message, /orgs\.quotas:write/);
    const user = await t.request('PUT', `/api/admin/users/${users.bob.id}/quotas/org_user`, { ...users.alice.creds, body: { limit: 0 } });
    assert.equal(user.status, 403);
    const read = await t.request('GET', `/api/admin/users/${users.bob.id}/quotas`, users.alice.creds);
    assert.equal(read.status, 403);
    assert.match(read.body.message, /users\.quotas:read/);
    // The refusal comes before the id is parsed, as Grafana's middleware runs before its handler.
    assert.equal((await t.request('GET', '/api/admin/users/abc/quotas', users.alice.creds)).status, 403);
    assert.deepEqual(await quotaRows(), before);
  });

  it("bad targets and values get Grafana's answers and leave the store unchanged", async () => {
    const before = await quotaRows();
    const cases: [string, string, unknown, number, unknown][] = [
      ['PUT', `/api/orgs/${orgA}/quotas/dashboard`, { limit: 5 }, 404, { message: 'Invalid quota target' }],
      ['PUT', `/api/orgs/${orgA}/quotas/user`, { limit: 5 }, 404, { message: 'Invalid quota target' }],
      ['PUT', `/api/admin/users/${users.bob.id}/quotas/team`, { limit: 5 }, 404, { message: 'Invalid quota target' }],
      ['PUT', `/api/orgs/${orgA}/quotas/org_user`, { limit: '5' }, 400, { message: 'bad request data' }],
      ['PUT', `/api/orgs/${orgA}/quotas/org_user`, { limit: 1.5 }, 400, { message: 'bad request data' }],
      ['PUT', `/api/orgs/${orgA}/quotas/org_user`, {}, 400, { message: 'bad request data' }],
      ['PUT', `/api/orgs/${orgA}/quotas/org_user`, [5], 400, { message: 'bad request data' }],
      ['PUT', `/api/orgs/${orgA}/quotas/org_user`, { limit: 2 ** 60 }, 400, { message: 'bad request data' }],
      ['PUT', `/api/orgs/999999/quotas/org_user`, { limit: 5 }, 404, { message: 'Organization not found' }],
      ['PUT', `/api/admin/users/999999/quotas/org_user`, { limit: 5 }, 404, { message: 'User not found' }],
      ['PUT', `/api/admin/users/x1/quotas/org_user`, { limit: 5 }, 400, { message: 'id is invalid' }],
      ['GET', `/api/admin/users/999999/quotas`, undefined, 404, { message: 'User not found' }],
    ];
    for (const [method, url, body, status, expected] of cases) {
      const r = await t.request(method, url, { ...t.admin, body });
      assert.deepEqual([r.status, r.body], [status, expected], `${method} ${url} ${JSON.stringify(body)}`);
    }
    const raw = await t.request('PUT', `/api/orgs/${orgA}/quotas/org_user`, { ...t.admin, rawBody: '{"limit":', contentType: 'application/json' });
    assert.equal(raw.status, 400);
    assert.deepEqual(await quotaRows(), before);
  });

  it('a server admin sets a quota (audited); a quota below the usage is allowed, then every face refuses members', async () => {
    const set = await putOrgQuota('org_user', 1);
    assert.deepEqual([set.status, set.body], [200, { message: 'Organization quota updated' }]);
    assert.deepEqual(await orgQuota('org_user'), { org_id: orgA, target: 'org_user', limit: 1, used: 3 });
    const event = await t.roster.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'quota.update').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(event.object_id, `org:${orgA}:org_user`);
    assert.equal(event.org_id, orgA);
    assert.deepEqual(JSON.parse(event.after!), { limit: 1 });

    const members = await rows('org_members');
    const userCount = await rows('users');
    // Grafana: POST /api/org/users and /api/orgs/:id/users
    let r = await t.request('POST', '/api/org/users', { ...inA(t.admin), body: { loginOrEmail: 'carol', role: 'Viewer' } });
    assert.deepEqual([r.status, r.body], [403, { message: 'org Quota reached' }]);
    r = await addToA('carol');
    assert.deepEqual([r.status, r.body], [403, { message: 'org Quota reached' }]);
    // Grafana: a new user whose org is full is not created at all.
    r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'dave', password: 'dave-password', orgId: orgA } });
    assert.deepEqual([r.status, r.body], [403, { message: 'org Quota reached' }]);
    assert.equal(await rows('users'), userCount);
    // PostHog invite accepted through the native API.
    const invite = await t.request('POST', `/api/organizations/${orgAUuid}/invites/`, { ...t.admin, body: { target_email: 'carol@example.com' } });
    assert.equal(invite.status, 201, invite.text);
    r = await t.request('POST', `/api/roster/v1/invites/${invite.body.id}/accept`, { ...users.carol.creds, body: { code: invite.body.invite_code } });
    assert.deepEqual([r.status, r.body], [403, { error: { code: 'quota.reached', message: 'org Quota reached' } }]);
    assert.equal(await rows('org_members'), members);
    assert.equal((await orgQuota('org_user')).used, 3, 'the existing members stay');
  });

  it('leave and come back: a member removed from a full org cannot rejoin while usage is at the quota', async () => {
    assert.equal((await putOrgQuota('org_user', 2)).status, 200);
    assert.equal((await t.request('DELETE', `/api/orgs/${orgA}/users/${users.bob.id}`, t.admin)).status, 200);
    // 2 members left, limit 2: bob cannot come back.
    const back = await addToA('bob');
    assert.deepEqual([back.status, back.body], [403, { message: 'org Quota reached' }]);
    assert.equal((await putOrgQuota('org_user', 3)).status, 200);
    assert.equal((await addToA('bob')).status, 200);
    assert.equal((await putOrgQuota('org_user', -1)).status, 200);
  });

  it('two requests racing for the last member place: exactly one wins', async () => {
    const racers = await Promise.all(['r1', 'r2', 'r3', 'r4', 'r5'].map(makeUser));
    const used = (await orgQuota('org_user')).used;
    assert.equal((await putOrgQuota('org_user', used + 1)).status, 200);
    const results = await Promise.all(racers.map((_, i) => t.request('POST', '/api/org/users', { ...inA(t.admin), body: { loginOrEmail: `r${i + 1}`, role: 'Viewer' } })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 403, 403, 403, 403], results.map((r) => r.text).join('\n'));
    assert.equal((await orgQuota('org_user')).used, used + 1);
  });

  it('teams per org: refused past the quota, also when racing', async () => {
    assert.equal((await putOrgQuota('team', 2)).status, 200);
    const results = await Promise.all([1, 2, 3, 4].map((i) => t.request('POST', '/api/teams', { ...inA(t.admin), body: { name: `team ${i}` } })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 403, 403]);
    assert.deepEqual(results.find((r) => r.status === 403)!.body, { message: 'team Quota reached' });
    assert.equal((await orgQuota('team')).used, 2);
  });

  it('service accounts and their tokens per org: refused past the quota', async () => {
    assert.equal((await putOrgQuota('service_account', 1)).status, 200);
    assert.equal((await putOrgQuota('api_key', 1)).status, 200);
    const sa = await t.request('POST', '/api/serviceaccounts', { ...inA(t.admin), body: { name: 'robot', role: 'Viewer' } });
    assert.equal(sa.status, 201, sa.text);
    const second = await t.request('POST', '/api/serviceaccounts', { ...inA(t.admin), body: { name: 'robot 2', role: 'Viewer' } });
    assert.deepEqual([second.status, second.body], [403, { message: 'service_account Quota reached' }]);
    const tok = await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...inA(t.admin), body: { name: 'one' } });
    assert.equal(tok.status, 200, tok.text);
    const tok2 = await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...inA(t.admin), body: { name: 'two' } });
    assert.deepEqual([tok2.status, tok2.body], [403, { message: 'api_key Quota reached' }]);
    // Deleting a token frees its place.
    assert.equal((await t.request('DELETE', `/api/serviceaccounts/${sa.body.id}/tokens/${tok.body.id}`, inA(t.admin))).status, 200);
    assert.equal((await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...inA(t.admin), body: { name: 'two' } })).status, 200);
  });

  it("a user's org quota (user_org): listed for admins and the user, enforced on org creation through Grafana and PostHog", async () => {
    const alice = users.alice;
    let r = await t.request('GET', `/api/admin/users/${alice.id}/quotas`, t.admin);
    // alice: org 1 (auto-assign) and org A
    assert.deepEqual([r.status, r.body], [200, [{ user_id: alice.id, target: 'org_user', limit: -1, used: 2 }]]);
    r = await t.request('PUT', `/api/admin/users/${alice.id}/quotas/org_user`, { ...t.admin, body: { limit: 3 } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Organization quota updated' }]);
    r = await t.request('GET', '/api/user/quotas', alice.creds);
    assert.deepEqual([r.status, r.body], [200, [{ user_id: alice.id, target: 'org_user', limit: 3, used: 2 }]]);
    const orgs = await rows('orgs');
    // Two creations at once for the last place: one wins.
    const [g, p] = await Promise.all([
      t.request('POST', '/api/orgs', { ...alice.creds, body: { name: 'Alice One' } }),
      t.request('POST', '/api/organizations/', { ...alice.creds, body: { name: 'Alice Two' } }),
    ]);
    assert.equal([g.status === 200, p.status === 201].filter(Boolean).length, 1, `${g.text}\n${p.text}`);
    assert.ok(g.status === 403 || p.status === 403);
    assert.equal(await rows('orgs'), orgs + 1);
    r = await t.request('POST', '/api/orgs', { ...alice.creds, body: { name: 'Alice Three' } });
    assert.deepEqual([r.status, r.body], [403, { message: 'org Quota reached' }]);
    r = await t.request('POST', '/api/organizations/', { ...alice.creds, body: { name: 'Alice Four' } });
    assert.deepEqual([r.status, r.body], [403, { type: 'authentication_error', code: 'permission_denied', detail: 'org Quota reached', attr: null }]);
    assert.equal(await rows('orgs'), orgs + 1);
    // Another user is not held by alice's quota.
    assert.equal((await t.request('POST', '/api/orgs', { ...users.carol.creds, body: { name: 'Carol One' } })).status, 200);
  });

  it('/api/user/quotas is for users; a service-account token is refused', async () => {
    const sa = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'quota reader', role: 'Admin' } });
    const tok = await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...t.admin, body: { name: 'reader' } });
    const r = await t.request('GET', '/api/user/quotas', { bearer: tok.body.key });
    assert.deepEqual([r.status, r.body], [403, { message: 'Endpoint only available for users' }]);
    // The token reads its org's quotas like any member.
    assert.equal((await t.request('GET', '/api/org/quotas', { bearer: tok.body.key })).status, 200);
  });

  it('the CLI meets the same quotas: a service account and a token of the full org A', async () => {
    const before = [await rows('service_accounts'), await rows('tokens')];
    const account = await runCliInProcess(t.config.databaseUrl, ['token', 'create', '--org', String(orgA), '--service-account', 'robot 3']);
    const token = await runCliInProcess(t.config.databaseUrl, ['token', 'create', '--org', String(orgA), '--service-account', 'robot', '--name', 'three']);
    assert.notEqual(account.code, 0);
    assert.match(account.stderr, /service_account Quota reached/);
    assert.notEqual(token.code, 0);
    assert.match(token.stderr, /api_key Quota reached/);
    assert.deepEqual([await rows('service_accounts'), await rows('tokens')], before);
  });

  it('quota rows go with their org and user', async () => {
    const org = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Short Lived' } });
    assert.equal((await putOrgQuota('team', 0, t.admin, org.body.orgId)).status, 200);
    const u = await makeUser('shortlived');
    assert.equal((await t.request('PUT', `/api/admin/users/${u.id}/quotas/org_user`, { ...t.admin, body: { limit: 0 } })).status, 200);
    const before = await quotaRows();
    assert.equal((await t.request('DELETE', `/api/orgs/${org.body.orgId}`, t.admin)).status, 200);
    assert.equal((await t.request('DELETE', `/api/admin/users/${u.id}`, t.admin)).status, 200);
    assert.deepEqual(await quotaRows(), [before[0] - 1, before[1] - 1]);
  });
});
