// A PostHog-face fixture: an org "Acme" with an owner, an admin and a plain member, plus an
// outsider; helpers for users, keys and Grafana-side ids.
import assert from 'node:assert/strict';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';

export interface TestUser {
  login: string;
  id: number;
  uuid: string;
  creds: Creds;
}

export async function makeUser(t: TestRoster, login: string): Promise<TestUser> {
  const password = `${login}-password`;
  const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, name: login, password } });
  assert.equal(r.status, 200, r.text);
  const creds: Creds = { basic: [login, password] };
  const me = await t.request('GET', '/api/users/@me/', creds);
  assert.equal(me.status, 200, me.text);
  return { login, id: r.body.id, uuid: me.body.uuid, creds };
}

/** The Grafana (integer) id of an org known by uuid. */
export async function orgNumericId(t: TestRoster, uuid: string): Promise<number> {
  const row = await t.roster.ctx.db.selectFrom('orgs').select('id').where('uuid', '=', uuid).executeTakeFirstOrThrow();
  return row.id;
}

/** Adds a user to an org through the Grafana face (server admin). */
export async function addToOrg(t: TestRoster, orgId: number, login: string, role: 'Admin' | 'Editor' | 'Viewer' | 'None') {
  const r = await t.request('POST', `/api/orgs/${orgId}/users`, { ...t.admin, body: { loginOrEmail: login, role } });
  assert.equal(r.status, 200, r.text);
}

export async function makeKey(t: TestRoster, creds: Creds, scopes: string[], scopedOrgs: string[] = []): Promise<string> {
  const r = await t.request('POST', '/api/personal_api_keys/', { ...creds, body: { label: `key ${scopes.join(' ')}`.slice(0, 40), scopes, scoped_organizations: scopedOrgs, scoped_teams: [] } });
  assert.equal(r.status, 201, r.text);
  return r.body.value;
}

export interface Fixture {
  t: TestRoster;
  acme: { uuid: string; id: number };
  owner: TestUser;
  admin: TestUser;
  member: TestUser;
  outsider: TestUser;
}

export async function startFixture(env: Record<string, string> = {}): Promise<Fixture> {
  const t = await startRoster({ ROSTER_ALLOW_ORG_CREATE: 'true', ...env });
  const owner = await makeUser(t, 'olivia');
  const admin = await makeUser(t, 'adam');
  const member = await makeUser(t, 'mia');
  const outsider = await makeUser(t, 'oscar');
  const created = await t.request('POST', '/api/organizations/', { ...owner.creds, body: { name: 'Acme' } });
  assert.equal(created.status, 201, created.text);
  const acme = { uuid: created.body.id as string, id: await orgNumericId(t, created.body.id) };
  await addToOrg(t, acme.id, 'adam', 'Admin');
  await addToOrg(t, acme.id, 'mia', 'Editor');
  return { t, acme, owner, admin, member, outsider };
}

export const FORBIDDEN = { type: 'authentication_error', code: 'permission_denied', detail: 'You do not have permission to perform this action.', attr: null };
export const NOT_FOUND = { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null };
export const denied = (detail: string) => ({ type: 'authentication_error', code: 'permission_denied', detail, attr: null });
export const invalid = (code: string, detail: string, attr: string | null) => ({ type: 'validation_error', code, detail, attr });
