// A generated hostile corpus over the write and read routes of the OnCall, PostHog and native
// faces: every case gets a 4xx in its face's body format or, where the product itself tolerates the
// input (DRF ignores unknown fields; PostHog's PATCH of nothing is a 200), a 2xx that changes
// nothing. Never a 5xx; a dump of every table is compared after every single write case.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, authHeaders, type Creds, type TestRoster } from '../helpers/roster.ts';
import { dumpTables } from '../helpers/dump.ts';
import { makeToken, orgPublicId } from '../oncall/fixtures.ts';

type Kind = 'str' | 'str64' | 'bool' | 'int' | 'obj' | 'arr' | 'email' | 'uuids';
interface Ids {
  orgUuid: string;
  orgPub: string;
  meUuid: string;
  keyId: string;
  integId: number;
  inviteId: string;
}
interface Write {
  method: string;
  url: (i: Ids) => string;
  fields: Record<string, Kind>;
  array?: boolean;
}

// Values wrong for a field of each kind. DRF's BooleanField accepts "true", "yes", 1 and 0, so
// those are not hostile on the DRF faces and are left out.
const HUGE = 'x'.repeat(70_000);
const BAD: Record<Kind, unknown[]> = {
  str: [123, true, {}, [], ['x']],
  str64: [123, false, {}, [null], HUGE],
  bool: [2, -1, 'maybe', {}, [true], 1.5],
  int: ['8', 1.5, true, {}, [], -1e300, 'x; drop table users'],
  obj: ['x', 1, true, [1]],
  arr: ['x', 1, {}, [[[]]], [null]],
  email: [null, 1, '', 'not-an-email', "x'; drop table users;--@", '../../etc/passwd', HUGE + '@example.com', {}],
  uuids: ['x', [1], ['not-a-uuid'], ["' or 1=1--"], [{}]],
};

const WRITES: Write[] = [
  { method: 'PUT', url: (i) => `/api/v1/organizations/${i.orgPub}`, fields: { manually_manage_direct_paging_integrations: 'bool' } },
  { method: 'PATCH', url: (i) => `/api/v1/organizations/${i.orgPub}/`, fields: { manually_manage_direct_paging_integrations: 'bool' } },
  { method: 'POST', url: () => '/api/organizations/', fields: { name: 'str64' } },
  {
    method: 'PATCH',
    url: (i) => `/api/organizations/${i.orgUuid}/`,
    fields: { name: 'str64', enforce_2fa: 'bool', members_can_use_personal_api_keys: 'bool', default_experiment_stats_method: 'int', default_role_id: 'str' },
  },
  { method: 'PUT', url: (i) => `/api/organizations/${i.orgUuid}/`, fields: { name: 'str64', default_anonymize_ips: 'bool' } },
  { method: 'PATCH', url: (i) => `/api/organizations/${i.orgUuid}/members/${i.meUuid}/`, fields: { level: 'int' } },
  { method: 'POST', url: (i) => `/api/organizations/${i.orgUuid}/invites/`, fields: { target_email: 'email' } },
  { method: 'POST', url: (i) => `/api/organizations/${i.orgUuid}/invites/bulk/`, fields: { target_email: 'email' }, array: true },
  { method: 'PATCH', url: (i) => `/api/organizations/${i.orgUuid}/integrations/${i.integId}/environment-mapping/`, fields: { production: 'int' } },
  { method: 'POST', url: () => '/api/personal_api_keys/', fields: { label: 'str64', scopes: 'arr', scoped_organizations: 'uuids' } },
  { method: 'PATCH', url: (i) => `/api/personal_api_keys/${i.keyId}/`, fields: { label: 'str64', scopes: 'arr', scoped_organizations: 'uuids' } },
  { method: 'PATCH', url: () => '/api/users/@me/', fields: { first_name: 'str', email: 'email' } },
  { method: 'PATCH', url: () => '/api/roster/v1/users/1/contact', fields: { timezone: 'str', phone_number: 'str', phone_verified: 'bool' } },
  { method: 'PATCH', url: () => '/api/roster/v1/orgs/1/settings', fields: { phonePrivacyOverride: 'bool', manuallyManageDirectPagingIntegrations: 'bool' } },
  { method: 'POST', url: () => '/api/roster/v1/orgs/1/integrations', fields: { kind: 'str', integrationId: 'str', config: 'obj' } },
];

// Whole bodies that are wrong for any route.
const RAW: (string | Buffer)[] = [
  '{',
  '{"name":',
  '{"a":1,}',
  "{'a':1}",
  'nul',
  '[',
  '{"a":"\\u12"}',
  '\u0000',
  'null',
  '"x"',
  '123',
  'true',
  '[1,2]',
  '['.repeat(10_000) + ']'.repeat(10_000),
  '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
  JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
  Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), // {"name":"<invalid UTF-8>"}
  Buffer.from([0xff, 0xfe, 0xfd]),
];

// Unknown, negative, oversized and hostile ids on write routes.
const BAD_IDS = ['-1', '0', '99999999999999999999', "1'%20OR%201=1--", '..%2F..%2Fetc%2Fpasswd', '%00', 'U' + 'Z'.repeat(12), '00000000-0000-0000-0000-000000000000', 'x'.repeat(2000)];
const ID_WRITES: [string, (id: string, i: Ids) => string][] = [
  ['PATCH', (id) => `/api/v1/organizations/${id}/`],
  ['PATCH', (id) => `/api/organizations/${id}/`],
  ['DELETE', (id) => `/api/organizations/${id}/`],
  ['PATCH', (id, i) => `/api/organizations/${i.orgUuid}/members/${id}/`],
  ['DELETE', (id, i) => `/api/organizations/${i.orgUuid}/members/${id}/`],
  ['DELETE', (id, i) => `/api/organizations/${i.orgUuid}/invites/${id}/`],
  ['DELETE', (id, i) => `/api/organizations/${i.orgUuid}/integrations/${id}/`],
  ['DELETE', (id) => `/api/personal_api_keys/${id}/`],
  ['POST', (id) => `/api/personal_api_keys/${id}/roll/`],
  ['PATCH', (id) => `/api/roster/v1/users/${id}/contact`],
  ['PATCH', (id) => `/api/roster/v1/orgs/${id}/settings`],
  ['POST', (id) => `/api/roster/v1/orgs/${id}/integrations`],
  ['POST', (id) => `/api/roster/v1/invites/${id}/accept`],
];

// Read routes with hostile ids and query strings (duplicates, negatives, metacharacters).
const QUERIES = [
  '?page=1&page=2',
  '?page=-1',
  '?page=abc',
  '?page=99999999999999999999',
  '?perpage=-5&perpage=x',
  '?limit=-1&offset=-1',
  '?limit=1&limit=2',
  '?offset=x',
  '?search=%27%20OR%201%3D1--',
  '?search=%25%5F%5C',
  '?name=%00',
  '?username=..%2F..',
  '?email=%27',
  '?team_id=-1',
  '?orgId=-1',
  '?orgId=x&orgId=1',
  '?perPage=0',
  '?action=%27',
];
const READS: ((i: Ids) => string)[] = [
  () => '/api/v1/users/',
  () => '/api/v1/teams/',
  () => '/api/v1/organizations/',
  () => '/api/organizations/',
  (i) => `/api/organizations/${i.orgUuid}/members/`,
  (i) => `/api/organizations/${i.orgUuid}/invites/`,
  (i) => `/api/organizations/${i.orgUuid}/integrations/`,
  () => '/api/personal_api_keys/',
  () => '/api/roster/v1/audit',
];
const ID_READS: ((id: string, i: Ids) => string)[] = [
  (id) => `/api/v1/users/${id}/`,
  (id) => `/api/v1/teams/${id}/`,
  (id) => `/api/v1/organizations/${id}/`,
  (id) => `/api/organizations/${id}/`,
  (id) => `/api/organizations/${id}/members/`,
  (id, i) => `/api/organizations/${i.orgUuid}/integrations/${id}/`,
  (id) => `/api/personal_api_keys/${id}/`,
  (id) => `/api/roster/v1/users/${id}/contact`,
  (id) => `/api/roster/v1/orgs/${id}/settings`,
];

/** DRF's field errors: {"field": ["message", ...], ...} (OnCall answers validation errors so). */
const isFieldErrors = (body: any) =>
  body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length > 0 && Object.values(body).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string'));

function checkBody(url: string, body: any): string | undefined {
  if (url.startsWith('/api/roster/')) return typeof body?.error?.code === 'string' ? undefined : 'not {error:{code}}';
  if (url.startsWith('/api/v1/')) return typeof body?.detail === 'string' || isFieldErrors(body) ? undefined : 'not {detail} or field errors';
  // PostHog: {type, code, detail, attr}, or a bare {detail} from the few views that answer so.
  return typeof body?.detail === 'string' ? undefined : 'not {detail}';
}

describe('hostile input on the OnCall, PostHog and native faces', () => {
  let t: TestRoster;
  let ids: Ids;
  let oncall: Creds;
  const admin: Creds = { basic: ['admin', 'admin-secret'] };
  let count = 0;
  const failures: string[] = [];

  const send = async (method: string, url: string, payload?: string | Buffer, reads = false) => {
    count++;
    const creds = url.startsWith('/api/v1/') ? oncall : admin;
    const headers = authHeaders(creds);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await t.roster.app.inject({ method: method as any, url, headers, payload });
    let body: any;
    try {
      body = JSON.parse(res.body);
    } catch {
      body = undefined;
    }
    const label = `${method} ${url.slice(0, 120)} ${payload === undefined ? '' : String(payload).slice(0, 60)}`;
    if (res.statusCode >= 500) failures.push(`${label} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
    else if (res.statusCode >= 400) {
      const bad = checkBody(url, body);
      if (bad) failures.push(`${label} -> ${res.statusCode} ${bad}: ${res.body.slice(0, 200)}`);
    } else if (!reads) {
      const now = await dumpTables(t.roster.ctx.db);
      if (now !== snapshot) failures.push(`${label} -> ${res.statusCode} and changed the store: ${res.body.slice(0, 200)}`);
      snapshot = now;
    }
  };
  let snapshot = '';

  before(async () => {
    t = await startRoster();
    oncall = { raw: await makeToken(t, 1, 'Admin', 'oncall-caller') };
    const org = await t.roster.ctx.db.selectFrom('orgs').select('uuid').where('id', '=', 1).executeTakeFirstOrThrow();
    const me = await t.request('GET', '/api/users/@me/', admin);
    const key = await t.request('POST', '/api/personal_api_keys/', { ...admin, body: { label: 'k', scopes: ['*'] } });
    assert.equal(key.status, 201, key.text);
    const integ = await t.request('POST', '/api/roster/v1/orgs/1/integrations', { ...admin, body: { kind: 'vercel', integrationId: 'icfg_1', config: {} } });
    assert.equal(integ.status, 201, integ.text);
    const invite = await t.request('POST', `/api/organizations/${org.uuid}/invites/`, { ...admin, body: { target_email: 'someone@example.com' } });
    assert.equal(invite.status, 201, invite.text);
    ids = { orgUuid: org.uuid, orgPub: await orgPublicId(t, 1), meUuid: me.body.uuid, keyId: key.body.id, integId: integ.body.id, inviteId: invite.body.id };
    assert.equal((await t.request('GET', '/api/v1/users/', oncall)).status, 200, 'the OnCall caller is accepted');
  });
  after(() => t.close());

  it('writes: malformed, truncated, wrong-typed, nested, oversize, invalid UTF-8 bodies and hostile ids', async (ctx) => {
    const before = await dumpTables(t.roster.ctx.db);
    snapshot = before;
    for (const w of WRITES) {
      const url = w.url(ids);
      for (const raw of RAW) await send(w.method, url, raw);
      for (const [field, kind] of Object.entries(w.fields)) {
        for (const value of BAD[kind]) {
          const one = { [field]: value };
          await send(w.method, url, JSON.stringify(w.array ? [one] : one));
        }
      }
    }
    for (const [method, url] of ID_WRITES) {
      for (const id of BAD_IDS) await send(method, url(id, ids), method === 'DELETE' ? undefined : '{}');
    }
    assert.deepEqual(failures, []);
    assert.equal(await dumpTables(t.roster.ctx.db), before, 'nothing changed');
    ctx.diagnostic(`${count} write cases`);
  });

  it('reads: duplicate, negative and hostile query parameters and ids', async (ctx) => {
    count = 0;
    const before = await dumpTables(t.roster.ctx.db);
    for (const r of READS) for (const q of QUERIES) await send('GET', r(ids) + q, undefined, true);
    for (const r of ID_READS) for (const id of BAD_IDS) await send('GET', r(id, ids), undefined, true);
    assert.deepEqual(failures, []);
    assert.equal(await dumpTables(t.roster.ctx.db), before, 'nothing changed');
    ctx.diagnostic(`${count} read cases`);
  });
});
