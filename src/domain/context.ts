// What every domain function needs: the store, the settings that shape the rules, the hasher.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import type { Role } from './roles.ts';
import type { TokenHasher } from './secrets.ts';
import { notFound } from './errors.ts';

export interface DomainSettings {
  allowOrgCreate: boolean;
  autoAssignOrgRole: Role;
}

export interface Ctx {
  db: Kysely<Database>;
  dialect: Dialect;
  settings: DomainSettings;
  hasher: TokenHasher;
}

export type Db = Kysely<Database> | Transaction<Database>;

/**
 * Runs `body` in a new transaction, or in the caller's when `ctx.db` already is one: the CLI
 * import runs many domain operations as one all-or-nothing transaction that way.
 */
export function inTransaction<T>(ctx: Ctx, body: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return ctx.db.isTransaction ? body(ctx.db as Transaction<Database>) : ctx.db.transaction().execute(body);
}

/**
 * Serializes writers of one org for the rest of the transaction (PostgreSQL row lock), so
 * invariants such as "an org keeps an admin" hold under concurrent requests. SQLite already
 * serializes writers.
 */
export async function lockOrg(ctx: Ctx, trx: Db, orgId: number): Promise<boolean> {
  if (ctx.dialect === 'postgres') {
    const r = await sql<{ id: number }>`select id from orgs where id = ${orgId} for update`.execute(trx);
    return r.rows.length > 0;
  }
  const row = await trx.selectFrom('orgs').select('id').where('id', '=', orgId).executeTakeFirst();
  return !!row;
}

/**
 * lockOrg for a write into an org that must still exist: the caller was authorized before the
 * transaction, and a concurrent delete of the org may have won meanwhile (404, not a foreign-key 500).
 */
export async function lockLiveOrg(ctx: Ctx, trx: Db, orgId: number): Promise<void> {
  if (!(await lockOrg(ctx, trx, orgId))) throw notFound('org.not-found', 'Organization not found');
}

/** Escapes LIKE metacharacters so user input matches literally. */
export function likePattern(text: string, mode: 'contains' | 'prefix'): string {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c);
  return mode === 'contains' ? `%${escaped}%` : `${escaped}%`;
}

/** Case-insensitive LIKE on both databases, index-friendly where the column is stored lower-cased. */
export function ilike(column: string, pattern: string) {
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/**
 * PostgreSQL text cannot hold NUL, so comparing with such a value fails there instead of simply
 * not matching (as on SQLite). Lookups check this first and match nothing.
 */
export function hasNul(...values: (string | undefined)[]): boolean {
  return values.some((v) => v !== undefined && v.includes('\0'));
}
