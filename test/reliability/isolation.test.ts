// Isolation matrix: a caller of org A, with every kind of credential, addressing org B's objects
// through every face gets that face's refusal, sees none of B's data, and changes nothing.
// The cases are generated from a table of routes x a table of credentials.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Creds, type Reply, type TestRoster } from '../helpers/roster.ts';
import { dumpTables } from '../helpers/dump.ts';
import { makeTeam, makeToken, orgPublicId, publicIdOf } from '../oncall/fixtures.ts';

type Face = 'grafana' | 'oncall' | 'posthog' | 'roster';
interface Ids {
  A: number;
  B: number;
  Auuid: string;
  Buuid: string;
  Bpub: string;
  bob: number;
  bobUuid: string;
  bobPub: string;
  teamA: number;
  teamB: number;
  teamBpub: string;
  saA: number;
  saB: number;
  tokB: number;
  inviteB: string;
  integB: number;
}
/**
 * [face, method, url, body?, list?, spec?]: `list` routes may answer 2xx with A's own data, never
 * B's; `spec` is one more status the product itself gives there (docs/compat/grafana.md#membership-edits:
 * PATCH of a non-member is 500 in Grafana, 404 in Roster; DELETE of a non-member is a no-op 200). Either way nothing leaks
 * and nothing changes.
 */
type Case = [Face, string, (i: Ids) => string, ((i: Ids) => unknown)?, boolean?, number?];

const B_SECRETS = ['borg-secret-name', 'bob-secret-login', 'bob-secret@b.example', 'team-b-secret', 'sa-b-secret', 'newbie@b.example', 'icfg_b_secret'];

const ROUTES: Case[] = [
  // Grafana: the current org, switched to B by header or by the user's current org
  ['grafana', 'GET', () => '/api/org', undefined, true],
  ['grafana', 'GET', () => '/api/org/users', undefined, true],
  ['grafana', 'GET', () => '/api/org/users/search', undefined, true],
  ['grafana', 'GET', () => '/api/org/users/lookup', undefined, true],
  ['grafana', 'PATCH', (i) => `/api/org/users/${i.bob}`, () => ({ role: 'Viewer' })],
  ['grafana', 'DELETE', (i) => `/api/org/users/${i.bob}`, undefined, false, 200],
  ['grafana', 'POST', (i) => `/api/user/using/${i.B}`],
  // Grafana: B by id
  ['grafana', 'GET', (i) => `/api/orgs/${i.B}`],
  ['grafana', 'PUT', (i) => `/api/orgs/${i.B}`, () => ({ name: 'pwned' })],
  ['grafana', 'DELETE', (i) => `/api/orgs/${i.B}`],
  ['grafana', 'PUT', (i) => `/api/orgs/${i.B}/address`, () => ({ city: 'pwned' })],
  ['grafana', 'GET', () => '/api/orgs/name/borg-secret-name'],
  ['grafana', 'GET', (i) => `/api/orgs/${i.B}/users`],
  ['grafana', 'POST', (i) => `/api/orgs/${i.B}/users`, () => ({ loginOrEmail: 'alice', role: 'Admin' })],
  ['grafana', 'GET', (i) => `/api/orgs/${i.B}/users/search`],
  ['grafana', 'PATCH', (i) => `/api/orgs/${i.B}/users/${i.bob}`, () => ({ role: 'Viewer' })],
  ['grafana', 'DELETE', (i) => `/api/orgs/${i.B}/users/${i.bob}`],
  ['grafana', 'PATCH', (i) => `/api/orgs/${i.A}/users/${i.bob}`, () => ({ role: 'Viewer' })],
  ['grafana', 'DELETE', (i) => `/api/orgs/${i.A}/users/${i.bob}`, undefined, false, 200],
  ['grafana', 'GET', (i) => `/api/users/${i.bob}`],
  ['grafana', 'GET', (i) => `/api/users/${i.bob}/orgs`],
  ['grafana', 'GET', (i) => `/api/users/${i.bob}/teams`],
  ['grafana', 'GET', () => '/api/users/lookup?loginOrEmail=bob-secret-login'],
  ['grafana', 'GET', () => '/api/users/search?query=bob'],
  // Grafana teams
  ['grafana', 'GET', () => '/api/teams/search?query=team', undefined, true],
  ['grafana', 'GET', (i) => `/api/teams/${i.teamB}`],
  ['grafana', 'PUT', (i) => `/api/teams/${i.teamB}`, () => ({ name: 'pwned' })],
  ['grafana', 'DELETE', (i) => `/api/teams/${i.teamB}`],
  ['grafana', 'GET', (i) => `/api/teams/${i.teamB}/members`],
  ['grafana', 'POST', (i) => `/api/teams/${i.teamB}/members`, (i) => ({ userId: i.bob })],
  ['grafana', 'PUT', (i) => `/api/teams/${i.teamB}/members/${i.bob}`, () => ({ permission: 4 })],
  ['grafana', 'DELETE', (i) => `/api/teams/${i.teamB}/members/${i.bob}`],
  ['grafana', 'GET', (i) => `/api/teams/${i.teamB}/preferences`],
  ['grafana', 'PUT', (i) => `/api/teams/${i.teamB}/preferences`, () => ({ theme: 'dark' })],
  ['grafana', 'POST', (i) => `/api/teams/${i.teamA}/members`, (i) => ({ userId: i.bob })],
  ['grafana', 'DELETE', (i) => `/api/teams/${i.teamA}/members/${i.bob}`],
  // Grafana service accounts
  ['grafana', 'GET', () => '/api/serviceaccounts/search?query=sa', undefined, true],
  ['grafana', 'GET', (i) => `/api/serviceaccounts/${i.saB}`],
  ['grafana', 'PATCH', (i) => `/api/serviceaccounts/${i.saB}`, () => ({ name: 'pwned' })],
  ['grafana', 'DELETE', (i) => `/api/serviceaccounts/${i.saB}`],
  // Grafana lists [] for an unknown (here: foreign) account's tokens; Roster answers 404
  // (docs/compat/grafana.md#service-accounts).
  ['grafana', 'GET', (i) => `/api/serviceaccounts/${i.saB}/tokens`, undefined, true],
  ['grafana', 'POST', (i) => `/api/serviceaccounts/${i.saB}/tokens`, () => ({ name: 'pwned' })],
  ['grafana', 'DELETE', (i) => `/api/serviceaccounts/${i.saB}/tokens/${i.tokB}`],
  ['grafana', 'DELETE', (i) => `/api/serviceaccounts/${i.saA}/tokens/${i.tokB}`],
  // OnCall
  ['oncall', 'GET', () => '/api/v1/organizations', undefined, true],
  ['oncall', 'GET', (i) => `/api/v1/organizations/${i.Bpub}`],
  ['oncall', 'PUT', (i) => `/api/v1/organizations/${i.Bpub}`, () => ({ name: 'pwned' })],
  ['oncall', 'PATCH', (i) => `/api/v1/organizations/${i.Bpub}`, () => ({ name: 'pwned' })],
  ['oncall', 'GET', () => '/api/v1/users', undefined, true],
  ['oncall', 'GET', () => '/api/v1/users?username=bob-secret-login', undefined, true],
  ['oncall', 'GET', () => '/api/v1/users?email=bob-secret%40b.example', undefined, true],
  ['oncall', 'GET', (i) => `/api/v1/users/${i.bobPub}`],
  ['oncall', 'GET', () => '/api/v1/teams', undefined, true],
  ['oncall', 'GET', () => '/api/v1/teams?name=team-b-secret', undefined, true],
  ['oncall', 'GET', (i) => `/api/v1/teams/${i.teamBpub}`],
  // PostHog: B by uuid, and B's objects through A
  ['posthog', 'GET', () => '/api/organizations/', undefined, true],
  ['posthog', 'GET', (i) => `/api/organizations/${i.Buuid}/`],
  ['posthog', 'PATCH', (i) => `/api/organizations/${i.Buuid}/`, () => ({ name: 'pwned' })],
  ['posthog', 'PUT', (i) => `/api/organizations/${i.Buuid}/`, () => ({ name: 'pwned' })],
  ['posthog', 'DELETE', (i) => `/api/organizations/${i.Buuid}/`],
  ['posthog', 'GET', (i) => `/api/organizations/${i.Buuid}/members/`],
  ['posthog', 'PATCH', (i) => `/api/organizations/${i.Buuid}/members/${i.bobUuid}/`, () => ({ level: 1 })],
  ['posthog', 'PUT', (i) => `/api/organizations/${i.Buuid}/members/${i.bobUuid}/`, () => ({ level: 1 })],
  ['posthog', 'DELETE', (i) => `/api/organizations/${i.Buuid}/members/${i.bobUuid}/`],
  ['posthog', 'GET', (i) => `/api/organizations/${i.Buuid}/members/${i.bobUuid}/scoped_api_keys/`],
  ['posthog', 'PATCH', (i) => `/api/organizations/${i.Auuid}/members/${i.bobUuid}/`, () => ({ level: 1 })],
  ['posthog', 'DELETE', (i) => `/api/organizations/${i.Auuid}/members/${i.bobUuid}/`],
  ['posthog', 'GET', (i) => `/api/organizations/${i.Auuid}/members/${i.bobUuid}/scoped_api_keys/`],
  ['posthog', 'GET', (i) => `/api/organizations/${i.Buuid}/invites/`],
  ['posthog', 'POST', (i) => `/api/organizations/${i.Buuid}/invites/`, () => ({ target_email: 'x@example.com' })],
  ['posthog', 'POST', (i) => `/api/organizations/${i.Buuid}/invites/bulk/`, () => [{ target_email: 'x@example.com' }]],
  ['posthog', 'DELETE', (i) => `/api/organizations/${i.Buuid}/invites/${i.inviteB}/`],
  ['posthog', 'DELETE', (i) => `/api/organizations/${i.Auuid}/invites/${i.inviteB}/`],
  ['posthog', 'GET', (i) => `/api/organizations/${i.Buuid}/integrations/`],
  ['posthog', 'GET', (i) => `/api/organizations/${i.Buuid}/integrations/${i.integB}/`],
  ['posthog', 'DELETE', (i) => `/api/organizations/${i.Buuid}/integrations/${i.integB}/`],
  ['posthog', 'PATCH', (i) => `/api/organizations/${i.Buuid}/integrations/${i.integB}/environment-mapping/`, () => ({ mappings: {} })],
  ['posthog', 'GET', (i) => `/api/organizations/${i.Auuid}/integrations/${i.integB}/`],
  ['posthog', 'DELETE', (i) => `/api/organizations/${i.Auuid}/integrations/${i.integB}/`],
  ['posthog', 'PATCH', (i) => `/api/organizations/${i.Auuid}/integrations/${i.integB}/environment-mapping/`, () => ({ mappings: {} })],
  // Native
  ['roster', 'GET', (i) => `/api/roster/v1/users/${i.bob}/contact`],
  ['roster', 'PATCH', (i) => `/api/roster/v1/users/${i.bob}/contact`, () => ({ timezone: 'Europe/Paris' })],
  ['roster', 'GET', (i) => `/api/roster/v1/orgs/${i.B}/settings`],
  ['roster', 'PATCH', (i) => `/api/roster/v1/orgs/${i.B}/settings`, () => ({ phonePrivacyOverride: true })],
  ['roster', 'GET', (i) => `/api/roster/v1/orgs/${i.Buuid}/settings`],
  ['roster', 'GET', (i) => `/api/roster/v1/audit?orgId=${i.B}`],
  ['roster', 'GET', () => '/api/roster/v1/audit', undefined, true],
  ['roster', 'POST', (i) => `/api/roster/v1/orgs/${i.B}/integrations`, () => ({ kind: 'vercel', integrationId: 'icfg_x', config: {} })],
  ['roster', 'POST', (i) => `/api/roster/v1/invites/${i.inviteB}/accept`],
];

function assertFaceBody(face: Face, r: Reply, label: string) {
  if (face === 'grafana') assert.equal(typeof r.body?.message, 'string', `${label}: Grafana {message}`);
  else if (face === 'roster') assert.equal(typeof r.body?.error?.code, 'string', `${label}: Roster {error}`);
  else assert.equal(typeof r.body?.detail, 'string', `${label}: ${face} {detail}`);
}

describe('isolation matrix: org A callers against org B', () => {
  let t: TestRoster;
  let ids: Ids;
  const creds: [string, Creds][] = [];

  before(async () => {
    t = await startRoster({ ROSTER_ALLOW_ORG_CREATE: 'true' });
    const ok = (r: Reply, status = 200) => {
      assert.equal(r.status, status, r.text);
      return r.body;
    };
    const mkUser = async (login: string, email: string) => ok(await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email, name: login, password: `${login}-pw` } })).id as number;
    const alice = await mkUser('alice', 'alice@a.example');
    const bob = await mkUser('bob-secret-login', 'bob-secret@b.example');
    const aliceC: Creds = { basic: ['alice', 'alice-pw'] };
    const bobC: Creds = { basic: ['bob-secret-login', 'bob-secret-login-pw'] };
    const Auuid = ok(await t.request('POST', '/api/organizations/', { ...aliceC, body: { name: 'Aorg' } }), 201).id as string;
    const Buuid = ok(await t.request('POST', '/api/organizations/', { ...bobC, body: { name: 'borg-secret-name' } }), 201).id as string;
    const orgId = async (uuid: string) => (await t.roster.ctx.db.selectFrom('orgs').select('id').where('uuid', '=', uuid).executeTakeFirstOrThrow()).id;
    const A = await orgId(Auuid),
      B = await orgId(Buuid);
    // Both users act in their own org; alice leaves the default org so B is all that is foreign.
    for (const [u, o] of [
      [alice, A],
      [bob, B],
    ])
      ok(await t.request('POST', `/api/users/${u}/using/${o}`, t.admin));
    const teamA = await makeTeam(t, A, 'team-a', [alice]);
    const teamB = await makeTeam(t, B, 'team-b-secret', [bob]);
    const saTokenA = await makeToken(t, A, 'Admin', 'sa-a');
    await makeToken(t, B, 'Admin', 'sa-b-secret');
    const sa = async (o: number) => (await t.roster.ctx.db.selectFrom('service_accounts').select('id').where('org_id', '=', o).executeTakeFirstOrThrow()).id;
    const saA = await sa(A),
      saB = await sa(B);
    const tokB = (await t.roster.ctx.db.selectFrom('tokens').select('id').where('service_account_id', '=', saB).executeTakeFirstOrThrow()).id;
    const inviteB = ok(await t.request('POST', `/api/organizations/${Buuid}/invites/`, { ...bobC, body: { target_email: 'newbie@b.example' } }), 201).id;
    const integB = ok(await t.request('POST', `/api/roster/v1/orgs/${B}/integrations`, { ...bobC, body: { kind: 'vercel', integrationId: 'icfg_b_secret', config: {} } }), 201).id;
    const me = ok(await t.request('GET', '/api/users/@me/', bobC));
    ids = {
      A,
      B,
      Auuid,
      Buuid,
      Bpub: await orgPublicId(t, B),
      bob,
      bobUuid: me.uuid,
      bobPub: await publicIdOf(t, bob),
      teamA: teamA.id,
      teamB: teamB.id,
      teamBpub: teamB.publicId,
      saA,
      saB,
      tokB,
      inviteB,
      integB,
    };
    B_SECRETS.push(Buuid, me.uuid, ids.Bpub, ids.bobPub, ids.teamBpub, String(inviteB));

    const login = await t.request('POST', '/login', { body: { user: 'alice', password: 'alice-pw' } });
    assert.equal(login.status, 200, login.text);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const key = async (scoped: string[]) =>
      ok(await t.request('POST', '/api/personal_api_keys/', { ...aliceC, body: { label: `k${scoped.length}`, scopes: ['*'], scoped_organizations: scoped } }), 201).value as string;
    creds.push(
      ['basic', aliceC],
      ['session', { cookie }],
      ['service-account', { bearer: saTokenA }],
      ['personal key', { bearer: await key([]) }],
      ['scoped personal key', { bearer: await key([Auuid]) }],
    );
  });
  after(() => t.close());

  it(`refuses every (route x credential x org-switch) case and leaks nothing`, async (ctx) => {
    const before = await dumpTables(t.roster.ctx.db);
    const failures: string[] = [];
    let cases = 0;
    for (const [face, method, url, body, list, spec] of ROUTES) {
      for (const [kind, c] of creds) {
        // Grafana routes are also tried with the org switched to B by header.
        const variants: Record<string, string>[] = face === 'grafana' ? [{}, { 'x-grafana-org-id': String(ids.B) }] : [{}];
        for (const headers of variants) {
          cases++;
          const path = url(ids);
          const label = `${kind} ${method} ${path} ${JSON.stringify(headers)}`;
          const r = await t.request(method, path, { ...c, headers: { ...c.headers, ...headers }, ...(body ? { body: body(ids) } : {}) });
          const refused = [401, 403, 404].includes(r.status);
          const allowed = refused || r.status === spec || (list && !headers['x-grafana-org-id'] && r.status < 300);
          if (!allowed) failures.push(`${label} -> ${r.status} ${r.text.slice(0, 200)}`);
          else if (refused || r.status === spec) {
            try {
              assertFaceBody(face, r, label);
            } catch (e) {
              failures.push(`${label} -> ${r.status} body ${r.text.slice(0, 200)}: ${(e as Error).message}`);
            }
          }
          // An error may echo the caller's own path back (PostHog's scoped-key message does).
          const leaked = B_SECRETS.filter((s) => r.text.includes(s) && !path.includes(s));
          if (leaked.length) failures.push(`${label} -> ${r.status} leaks ${leaked.join(', ')}: ${r.text.slice(0, 200)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(cases >= 400, `${cases} cases`);
    ctx.diagnostic(`${cases} cases over ${ROUTES.length} routes x ${creds.length} credentials`);
    assert.equal(await dumpTables(t.roster.ctx.db), before, 'nothing changed');
  });
});
