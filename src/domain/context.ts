// What every domain function needs: the store, the settings that shape the rules, the hasher.
import type { Kysely, Transaction } from 'kysely';
import type { Db, Dialect } from '../store/db.ts';
import { lockOrgRow, type OrgLock } from '../store/org-locks.ts';
import type { Database } from '../store/schema.ts';
import type { Role } from '../role-names.ts';
import type { TokenHasher } from './secrets.ts';
import type { SecretBox } from './secret-box.ts';
import { notFound } from './errors.ts';

export interface DomainSettings {
  allowOrgCreate: boolean;
  autoAssignOrgRole: Role;
  /** SMTP is configured (ROSTER_SMTP_URL): mail in the outbox will be sent. */
  mailEnabled: boolean;
  /** Absolute base of links in mail (ROSTER_PUBLIC_URL). */
  publicUrl: string;
  /** The password policy's minimum length (password-policy.ts). */
  passwordMinLength: number;
  /** Session lifetimes and rotation (domain/sessions.ts). */
  sessions: SessionLifetimes;
}

export interface SessionLifetimes {
  idleMs: number;
  maxMs: number;
  rotationMs: number;
}

export interface Ctx {
  db: Kysely<Database>;
  dialect: Dialect;
  settings: DomainSettings;
  hasher: TokenHasher;
  /** Encrypts and decrypts TOTP secrets (secret-box.ts). */
  secretBox: SecretBox;
  /** Called after a transaction that queued mail commits: wakes this process's sender at once. */
  mailQueued?: () => void;
}

export type { Db, OrgLock };

/**
 * Runs `body` in a new transaction, or in the caller's when `ctx.db` already is one: the CLI
 * import runs many domain operations as one all-or-nothing transaction that way.
 */
export function inTransaction<T>(ctx: Ctx, body: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return ctx.db.isTransaction ? body(ctx.db as Transaction<Database>) : ctx.db.transaction().execute(body);
}

/**
 * How a transaction holds its org (store/org-locks.ts). `exclusive` serializes the org's writers,
 * so invariants such as "an org keeps an admin" hold under concurrent requests. `shared` is for
 * changes that cannot touch those invariants (a non-Admin member added, re-roled below Admin or
 * removed): they run side by side, and only wait for (and hold off) exclusive ones.
 * Locks an org for the rest of the transaction; false when it does not exist.
 */
export async function lockOrg(ctx: Ctx, trx: Db, orgId: number, lock: OrgLock = 'exclusive'): Promise<boolean> {
  return lockOrgRow(trx, ctx.dialect, orgId, lock);
}

/** What a body run under the shared lock returns when it finds its change needs the exclusive one. */
export const NEEDS_EXCLUSIVE = Symbol('needs the exclusive org lock');

/**
 * Runs `body` in a transaction holding the org with `lock`; a body that finds, under the shared
 * lock, that its change touches the org's Admins returns NEEDS_EXCLUSIVE before writing anything,
 * and runs again under the exclusive lock. `found`: whether the org exists.
 */
export async function withOrgLock<T>(ctx: Ctx, orgId: number, lock: OrgLock, body: (trx: Transaction<Database>, found: boolean, lock: OrgLock) => Promise<T | typeof NEEDS_EXCLUSIVE>): Promise<T> {
  const run = (mode: OrgLock) => inTransaction(ctx, async (trx) => body(trx, await lockOrg(ctx, trx, orgId, mode), mode));
  // On SQLite a lock is no more than the existence check: nothing to gain from trying shared first.
  const first = await run(ctx.dialect === 'sqlite' ? 'exclusive' : lock);
  if (first !== NEEDS_EXCLUSIVE) return first;
  const second = await run('exclusive');
  if (second === NEEDS_EXCLUSIVE) throw new Error('withOrgLock: the body asked for the exclusive lock while holding it');
  return second;
}

/**
 * lockOrg for a write into an org that must still exist: the caller was authorized before the
 * transaction, and a concurrent delete of the org may have won meanwhile (404, not a foreign-key 500).
 */
export async function lockLiveOrg(ctx: Ctx, trx: Db, orgId: number): Promise<void> {
  if (!(await lockOrg(ctx, trx, orgId))) throw notFound('org.not-found', 'Organization not found');
}

/**
 * PostgreSQL text cannot hold NUL, so comparing with such a value fails there instead of simply
 * not matching (as on SQLite). Lookups check this first and match nothing.
 */
export function hasNul(...values: (string | undefined)[]): boolean {
  return values.some((v) => v !== undefined && v.includes('\0'));
}
