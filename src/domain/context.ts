// What every domain function needs: the store, the settings that shape the rules, the hasher.
import type { Kysely, Transaction } from 'kysely';
import type { Db, Dialect } from '../store/db.ts';
import { lockOrgRow, type OrgLock } from '../store/org-locks.ts';
import { pipelinedTransaction, type Commit } from '../store/pipelined-transaction.ts';
import type { Database } from '../store/schema.ts';
import type { Role } from '../role-names.ts';
import type { TokenHasher } from './secrets.ts';
import type { SecretBox } from './secret-box.ts';
import { notFound } from './errors.ts';
import type { QuotaDefaults } from '../config-quotas.ts';

export interface DomainSettings {
  allowOrgCreate: boolean;
  autoAssignOrgRole: Role;
  /** SMTP is configured (ROSTER_SMTP_URL): mail in the outbox will be sent. */
  mailEnabled: boolean;
  /** Absolute base of links in mail (ROSTER_PUBLIC_URL). */
  publicUrl: string;
  /** The password policy's minimum length (password-policy.ts). */
  passwordMinLength: number;
  /** Single sign-on as the sign-in page offers it (ROSTER_OIDC_NAME, ROSTER_OIDC_AUTO_LOGIN); unset: none. */
  sso?: { name: string; autoLogin: boolean };
  /** Session lifetimes and rotation (domain/sessions.ts). */
  sessions: SessionLifetimes;
  /** Default quota limits (ROSTER_QUOTA_*; domain/quotas.ts); -1 is unlimited. */
  quotas: QuotaDefaults;
  /** How long an invite made through Grafana's face lasts (ROSTER_USER_INVITE_MAX_LIFETIME; org-invites.ts). */
  userInviteLifetimeMs: number;
  /** ROSTER_WEBHOOK_ALLOW_PRIVATE: webhooks may post to private, loopback and link-local addresses (webhook-url.ts). */
  webhookAllowPrivate: boolean;
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
  /** Where reads that can be long run (Store.reads: off the event loop on SQLite), else `db`. */
  reads: Kysely<Database>;
  /** Encrypts and decrypts TOTP secrets (secret-box.ts). */
  secretBox: SecretBox;
  /** Called after a transaction that queued mail commits: wakes this process's sender at once. */
  mailQueued?: () => void;
  /** Called after a transaction that queued webhook deliveries commits: wakes this process's deliverer. */
  webhooksQueued?: () => void;
}

export type { Commit, Db, OrgLock, QuotaDefaults };

/** The database for a read that can be long (a search): `ctx.reads`, unless `ctx.db` is a transaction. */
export function longReads(ctx: Ctx): Db {
  return ctx.db.isTransaction ? ctx.db : ctx.reads;
}

/**
 * Runs `body` in a new transaction, or in the caller's when `ctx.db` already is one: the CLI
 * import runs many domain operations as one all-or-nothing transaction that way. On PostgreSQL,
 * statements the body issues together (Promise.all) share a round trip, and `commit`, issued
 * with the last writes, ends the transaction in theirs (store/pipelined-transaction.ts).
 */
export function inTransaction<T>(ctx: Ctx, body: (trx: Transaction<Database>, commit: Commit) => Promise<T>): Promise<T> {
  return pipelinedTransaction(ctx.db, ctx.dialect, body);
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

/** Thrown out of the first try so that its transaction rolls back (withOrgLock). */
class RetryExclusive extends Error {}

/** What withOrgLock hands its body besides the transaction. */
export interface OrgLockRun {
  /** Whether the org exists, once the lock is held. Issued before the body runs: reads the body issues with it share its round trip, and run after the lock is held. */
  found: Promise<boolean>;
  lock: OrgLock;
  commit: Commit;
}

/**
 * Runs `body` in a transaction holding the org with `lock`; a body that finds, under the shared
 * lock, that its change touches the org's Admins returns NEEDS_EXCLUSIVE before writing anything,
 * and runs again under the exclusive lock. `first` runs in each try before the org is locked: a
 * lock that must come before the org's (quotas.ts checkGlobalQuota).
 */
export async function withOrgLock<T>(
  ctx: Ctx,
  orgId: number,
  lock: OrgLock,
  body: (trx: Transaction<Database>, run: OrgLockRun) => Promise<T | typeof NEEDS_EXCLUSIVE>,
  first?: (trx: Transaction<Database>) => Promise<void>,
): Promise<T> {
  const run = (mode: OrgLock) =>
    inTransaction(ctx, async (trx, commit) => {
      if (first) await first(trx);
      const found = lockOrg(ctx, trx, orgId, mode);
      // A failure here is the body's to report when it awaits `found`.
      found.catch(() => {});
      const result = await body(trx, { found, lock: mode, commit });
      if (result === NEEDS_EXCLUSIVE) throw new RetryExclusive();
      return result;
    });
  // On SQLite a lock is no more than the existence check: nothing to gain from trying shared first.
  // Inside the caller's transaction (single sign-on, the CLI import) a retry would not roll the
  // shared try back, and would upgrade its lock in place, where two such callers deadlock.
  if (ctx.dialect !== 'sqlite' && lock === 'shared' && !ctx.db.isTransaction) {
    try {
      return await run('shared');
    } catch (err) {
      if (!(err instanceof RetryExclusive)) throw err;
    }
  }
  try {
    return await run('exclusive');
  } catch (err) {
    if (err instanceof RetryExclusive) throw new Error('withOrgLock: the body asked for the exclusive lock while holding it', { cause: err });
    throw err;
  }
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
