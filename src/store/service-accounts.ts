// The service_accounts table, each account with its count of tokens.
import { sql, type Insertable } from 'kysely';
import { containsFilter } from './contains-search.ts';
import type { Db, Dialect } from './db.ts';
import type { ServiceAccountRow, ServiceAccountTable } from './schema.ts';

/** Correlated on the outer `service_accounts` row. */
const tokenCount = () => sql<number>`(select count(*) from tokens t where t.service_account_id = service_accounts.id and t.kind = 'sa')`;

export type ServiceAccountWithTokens = ServiceAccountRow & { tokens: number };

/** A service account of one org, or undefined; the org is part of the query. */
export async function findServiceAccountIn(db: Db, orgId: number, id: number): Promise<ServiceAccountWithTokens | undefined> {
  const row = await db
    .selectFrom('service_accounts')
    .selectAll('service_accounts')
    .select(tokenCount().as('tokens'))
    .where('service_accounts.org_id', '=', orgId)
    .where('service_accounts.id', '=', id)
    .executeTakeFirst();
  return row && { ...row, tokens: Number(row.tokens) };
}

/** By id alone: the holder of a token being authenticated. */
export async function findServiceAccountById(db: Db, id: number): Promise<ServiceAccountRow | undefined> {
  return db.selectFrom('service_accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Another account (not `exceptId`) with this name in the org, or with this login anywhere. */
export async function serviceAccountClash(db: Db, orgId: number, name: string, login: string | null, exceptId = 0): Promise<boolean> {
  const row = await db
    .selectFrom('service_accounts')
    .select('id')
    .where('id', '!=', exceptId)
    .where((eb) => eb.or([eb.and([eb('org_id', '=', orgId), eb('name', '=', name)]), ...(login ? [eb('login', '=', login)] : [])]))
    .executeTakeFirst();
  return !!row;
}

export async function insertServiceAccount(db: Db, values: Insertable<ServiceAccountTable>): Promise<ServiceAccountRow> {
  return db.insertInto('service_accounts').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateServiceAccountRow(db: Db, orgId: number, id: number, patch: { name?: string; role?: string; is_disabled?: 0 | 1; updated_at: string }): Promise<void> {
  await db.updateTable('service_accounts').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

/** Deletes an account with its tokens. */
export async function deleteServiceAccountRow(db: Db, orgId: number, id: number): Promise<void> {
  await db.deleteFrom('tokens').where('kind', '=', 'sa').where('service_account_id', '=', id).execute();
  await db.deleteFrom('service_accounts').where('org_id', '=', orgId).where('id', '=', id).execute();
}

export interface ServiceAccountFilter {
  /** Case-insensitive substring of the name or login. */
  query?: string;
  disabled?: boolean;
  /** Only accounts with a token expired before this ISO time. */
  tokenExpiredBefore?: string;
  limit: number;
  offset: number;
}

/** One page of an org's accounts by login (case-insensitive) then id, and how many match. */
export async function selectServiceAccounts(db: Db, dialect: Dialect, orgId: number, q: ServiceAccountFilter): Promise<{ total: number; rows: ServiceAccountWithTokens[] }> {
  let base = db.selectFrom('service_accounts').where('service_accounts.org_id', '=', orgId);
  if (q.query) base = base.where(await containsFilter(db, dialect, 'service_accounts', q.query));
  if (q.disabled) base = base.where('service_accounts.is_disabled', '=', 1);
  const ts = q.tokenExpiredBefore;
  if (ts !== undefined) {
    base = base.where('service_accounts.id', 'in', (eb) =>
      eb.selectFrom('tokens').select('service_account_id').where('kind', '=', 'sa').where('expires_at', 'is not', null).where('expires_at', '<', ts),
    );
  }
  const rows = await base
    .selectAll('service_accounts')
    .select(tokenCount().as('tokens'))
    .orderBy(sql`lower(service_accounts.login)`)
    .orderBy('service_accounts.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { total: Number(n), rows: rows.map((r) => ({ ...r, tokens: Number(r.tokens) })) };
}
