// Builds test data through the real APIs where Roster has them, and straight into the real
// database for what has no API yet (service-account tokens, teams).
import assert from 'node:assert/strict';
import { grafanaUid, oncallId } from '../../src/domain/ids.ts';
import { newServiceAccountToken } from '../../src/domain/secrets.ts';
import type { Role } from '../../src/role-names.ts';
import type { TestRoster } from '../helpers/roster.ts';

export const ONCALL_ID = /^[OUT][A-NP-Z1-9]{12}$/;
export const USER_ID = /^U[A-NP-Z1-9]{12}$/;

const iso = () => new Date().toISOString();

/** A user with a password, member of `orgId` (default org 1) with `role`. */
export async function makeUser(t: TestRoster, login: string, role: Role, orgId = 1): Promise<{ id: number; basic: [string, string] }> {
  const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, password: 'password1', orgId } });
  assert.equal(r.status, 200, r.text);
  const id = r.body.id as number;
  if (role !== 'Viewer') {
    const u = await t.request('PATCH', `/api/orgs/${orgId}/users/${id}`, { ...t.admin, body: { role } });
    assert.equal(u.status, 200, u.text);
  }
  return { id, basic: [login, 'password1'] };
}

export async function makeOrg(t: TestRoster, name: string): Promise<number> {
  const r = await t.request('POST', '/api/orgs', { ...t.admin, body: { name } });
  assert.equal(r.status, 200, r.text);
  return r.body.orgId as number;
}

/** A service account of `orgId` with `role` and one token. */
export async function makeToken(t: TestRoster, orgId: number, role: Role, name = `sa-${grafanaUid()}`): Promise<string> {
  const db = t.roster.ctx.db;
  const ts = iso();
  const sa = await db
    .insertInto('service_accounts')
    .values({ uid: grafanaUid(), org_id: orgId, name, login: `sa-${orgId}-${name}`, role, created_at: ts, updated_at: ts })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = newServiceAccountToken();
  await db
    .insertInto('tokens')
    .values({ kind: 'sa', hash: t.roster.ctx.hasher.hash(token), org_id: orgId, service_account_id: sa.id, name, mask: 'glsa_...', created_at: ts })
    .execute();
  return token;
}

export async function makeTeam(t: TestRoster, orgId: number, name: string, userIds: number[] = []): Promise<{ id: number; publicId: string }> {
  const db = t.roster.ctx.db;
  const ts = iso();
  const team = await db
    .insertInto('teams')
    .values({ uid: grafanaUid(), public_id: oncallId('T'), org_id: orgId, name, created_at: ts, updated_at: ts })
    .returning(['id', 'public_id'])
    .executeTakeFirstOrThrow();
  for (const userId of userIds) {
    await db.insertInto('team_members').values({ team_id: team.id, user_id: userId, created_at: ts }).execute();
  }
  return { id: team.id, publicId: team.public_id };
}

export async function publicIdOf(t: TestRoster, userId: number): Promise<string> {
  const row = await t.roster.ctx.db.selectFrom('users').select('public_id').where('id', '=', userId).executeTakeFirstOrThrow();
  return row.public_id;
}

export async function orgPublicId(t: TestRoster, orgId: number): Promise<string> {
  const row = await t.roster.ctx.db.selectFrom('orgs').select('public_id').where('id', '=', orgId).executeTakeFirstOrThrow();
  return row.public_id;
}
