// Quota rows (tables org_quotas and user_quotas) and the counts quotas are measured by.
import { sql } from 'kysely';
import type { Db, Dialect } from './db.ts';
import { precompiled } from './precompiled.ts';
import { countGram } from './user-grams.ts';

/** The org's quota rows: target -> limit. */
export async function orgQuotaRows(db: Db, orgId: number): Promise<Map<string, number>> {
  const rows = await db.selectFrom('org_quotas').select(['target', 'quota_limit']).where('org_id', '=', orgId).execute();
  return new Map(rows.map((r) => [r.target, Number(r.quota_limit)]));
}

/** The user's quota rows: target -> limit. */
export async function userQuotaRows(db: Db, userId: number): Promise<Map<string, number>> {
  const rows = await db.selectFrom('user_quotas').select(['target', 'quota_limit']).where('user_id', '=', userId).execute();
  return new Map(rows.map((r) => [r.target, Number(r.quota_limit)]));
}

export async function orgQuotaLimit(db: Db, orgId: number, target: string): Promise<number | undefined> {
  const row = await db.selectFrom('org_quotas').select('quota_limit').where('org_id', '=', orgId).where('target', '=', target).executeTakeFirst();
  return row === undefined ? undefined : Number(row.quota_limit);
}

/** An org's own org_user limit (members), read with the membership rule's facts on every member addition. */
export const orgMemberQuotaRow = precompiled((db, orgId: number) => db.selectFrom('org_quotas').select('quota_limit').where('org_id', '=', orgId).where('target', '=', sql.lit('org_user')));

export async function userQuotaLimit(db: Db, userId: number, target: string): Promise<number | undefined> {
  const row = await db.selectFrom('user_quotas').select('quota_limit').where('user_id', '=', userId).where('target', '=', target).executeTakeFirst();
  return row === undefined ? undefined : Number(row.quota_limit);
}

export async function upsertOrgQuota(db: Db, orgId: number, target: string, limit: number, ts: string): Promise<void> {
  await db
    .insertInto('org_quotas')
    .values({ org_id: orgId, target, quota_limit: limit, updated_at: ts })
    .onConflict((oc) => oc.columns(['org_id', 'target']).doUpdateSet({ quota_limit: limit, updated_at: ts }))
    .execute();
}

export async function upsertUserQuota(db: Db, userId: number, target: string, limit: number, ts: string): Promise<void> {
  await db
    .insertInto('user_quotas')
    .values({ user_id: userId, target, quota_limit: limit, updated_at: ts })
    .onConflict((oc) => oc.columns(['user_id', 'target']).doUpdateSet({ quota_limit: limit, updated_at: ts }))
    .execute();
}

const count = async (q: Promise<{ n: number | string | bigint } | undefined>): Promise<number> => Number((await q)?.n ?? 0);

/** Members of an org (service accounts are not members: they have their own table). */
export function countOrgMembers(db: Db, orgId: number): Promise<number> {
  return count(
    db
      .selectFrom('org_members')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirst(),
  );
}

export function countOrgServiceAccounts(db: Db, orgId: number): Promise<number> {
  return count(
    db
      .selectFrom('service_accounts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirst(),
  );
}

/** The org's service-account tokens not revoked (expired ones still count, as Grafana's api_key rows do). */
export function countOrgServiceAccountTokens(db: Db, orgId: number): Promise<number> {
  return count(
    db
      .selectFrom('tokens')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('kind', '=', 'sa')
      .where('org_id', '=', orgId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst(),
  );
}

export function countOrgTeams(db: Db, orgId: number): Promise<number> {
  return count(
    db
      .selectFrom('teams')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirst(),
  );
}

/** The orgs a user belongs to (Grafana counts the user's org_user rows). */
export function countUserOrgs(db: Db, userId: number): Promise<number> {
  return count(
    db
      .selectFrom('org_members')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst(),
  );
}

/** Every user: the empty gram's count (store/user-grams.ts), a key read where count(*) reads the table. */
export function countAllUsers(db: Db): Promise<number> {
  return countGram(db, '');
}

export function countAllOrgs(db: Db): Promise<number> {
  return count(
    db
      .selectFrom('orgs')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
  );
}

/** Advisory-lock namespace of quota checks (two-key form, apart from the single-key locks of migrations and bootstrap). */
const QUOTA_LOCK_SPACE = 0x51554f;

/**
 * Holds, until the transaction ends, the lock that serializes the quota checks sharing `key`
 * (PostgreSQL: a transaction-scoped advisory lock). SQLite needs none: every write transaction
 * there begins IMMEDIATE (store/group-commit.ts), so one counts and inserts at a time.
 */
export async function holdQuotaLock(db: Db, dialect: Dialect, key: number): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${QUOTA_LOCK_SPACE}::int, ${key}::int)`.execute(db);
}
