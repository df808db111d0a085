// The tokens table: service-account tokens (kind 'sa') and personal API keys (kind 'pak'), found
// by the keyed hash of their secret.
import type { Insertable } from 'kysely';
import type { Db } from './db.ts';
import type { TokenRow, TokenTable } from './schema.ts';

export async function findTokenByHash(db: Db, hash: string): Promise<TokenRow | undefined> {
  return db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
}

/** Records a token's last use. */
export async function stampTokenUsed(db: Db, id: number, ts: string): Promise<void> {
  await db.updateTable('tokens').set({ last_used_at: ts }).where('id', '=', id).execute();
}

export async function insertToken(db: Db, values: Insertable<TokenTable>): Promise<TokenRow> {
  return db.insertInto('tokens').values(values).returningAll().executeTakeFirstOrThrow();
}

// Service-account tokens.

export async function serviceAccountTokens(db: Db, orgId: number, serviceAccountId: number) {
  return db
    .selectFrom('tokens')
    .select(['id', 'name', 'created_at as createdAt', 'expires_at as expiresAt', 'last_used_at as lastUsedAt', 'revoked_at as revokedAt'])
    .where('kind', '=', 'sa')
    .where('org_id', '=', orgId)
    .where('service_account_id', '=', serviceAccountId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** A service-account token of the org with this name (names are unique among an org's tokens). */
export async function serviceAccountTokenNamed(db: Db, orgId: number, name: string): Promise<{ id: number } | undefined> {
  return db.selectFrom('tokens').select('id').where('kind', '=', 'sa').where('org_id', '=', orgId).where('name', '=', name).executeTakeFirst();
}

/** Answers how many rows went (0 or 1). */
export async function deleteServiceAccountToken(db: Db, orgId: number, serviceAccountId: number, id: number): Promise<number> {
  const r = await db.deleteFrom('tokens').where('kind', '=', 'sa').where('org_id', '=', orgId).where('service_account_id', '=', serviceAccountId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Personal API keys, always scoped by their owner.

/** A user's keys, newest first. */
export async function personalKeysOf(db: Db, userId: number): Promise<TokenRow[]> {
  return db.selectFrom('tokens').selectAll().where('kind', '=', 'pak').where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findPersonalKey(db: Db, userId: number, id: number): Promise<TokenRow | undefined> {
  return db.selectFrom('tokens').selectAll().where('kind', '=', 'pak').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

export async function countPersonalKeys(db: Db, userId: number): Promise<number> {
  const r = await db
    .selectFrom('tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'pak')
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function updatePersonalKey(
  db: Db,
  userId: number,
  id: number,
  set: { name?: string; scopes?: string; scoped_orgs?: string; hash?: string; mask?: string; last_rolled_at?: string },
): Promise<void> {
  await db.updateTable('tokens').set(set).where('kind', '=', 'pak').where('user_id', '=', userId).where('id', '=', id).execute();
}

/** Answers how many rows went (0 or 1). */
export async function deletePersonalKey(db: Db, userId: number, id: number): Promise<number> {
  const r = await db.deleteFrom('tokens').where('kind', '=', 'pak').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Who holds a token: its kind and its org, service account or user. */
export async function tokenOwner(db: Db, id: number) {
  return db.selectFrom('tokens').select(['kind', 'org_id', 'service_account_id', 'user_id']).where('id', '=', id).executeTakeFirst();
}
