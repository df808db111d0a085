// Quotas (Grafana's quota service): how many members, service accounts, tokens and teams an org
// may hold, how many orgs a user may create, how many users and orgs the server holds. A limit
// comes from a server admin's row for the org or user, else from the settings (ROSTER_QUOTA_*);
// -1 (any negative) is unlimited, 0 refuses every creation. A limit below the current usage is
// allowed: creation is then refused until usage drops below it. Each check runs in the
// transaction that creates, once the thing counted can no longer change under it.
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { lockLiveOrg, NEEDS_EXCLUSIVE, inTransaction, type Ctx, type Db, type OrgLock, type QuotaDefaults } from './context.ts';
import { DomainError, invalid, notFound } from './errors.ts';
import { authorize, authorizeGlobal } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { findUser } from './user-lookup.ts';
import * as store from '../store/quotas.ts';
import { findOrgById } from '../store/orgs.ts';

interface TargetSpec {
  /** Grafana's quota service name, which its 403 quotes ("org Quota reached"). */
  srv: string;
  setting: keyof QuotaDefaults;
  usage: (db: Db, id: number) => Promise<number>;
}

/** Org-scope targets, in the order they are listed. org_user and api_key are Grafana's names; service_account and team are Roster's. */
const ORG_TARGETS: Record<string, TargetSpec> = {
  org_user: { srv: 'org', setting: 'orgUser', usage: store.countOrgMembers },
  api_key: { srv: 'api_key', setting: 'orgApiKey', usage: store.countOrgServiceAccountTokens },
  service_account: { srv: 'service_account', setting: 'orgServiceAccount', usage: store.countOrgServiceAccounts },
  team: { srv: 'team', setting: 'orgTeam', usage: store.countOrgTeams },
};

/** User-scope targets: Grafana's `org_user` of a user counts the orgs they belong to, limited by `user_org`. */
const USER_TARGETS: Record<string, TargetSpec> = {
  org_user: { srv: 'org', setting: 'userOrg', usage: store.countUserOrgs },
};

export type OrgTarget = 'org_user' | 'api_key' | 'service_account' | 'team';

/**
 * The org's own limit for a target, if a server admin set one. Issued with the org's lock (in
 * its round trip: the statements run in order on the transaction's connection, so it reads
 * once the lock is held) and handed to checkOrgQuota as `seen`.
 */
export async function readOrgQuota(trx: Db, orgId: number, target: OrgTarget): Promise<{ row: number | undefined }> {
  return { row: await store.orgQuotaLimit(trx, orgId, target) };
}

/** The org's own member limit (org_user), if a server admin set one: read with the membership rule's facts. */
export async function readMemberQuota(trx: Db, orgId: number): Promise<number | undefined> {
  const [row] = await store.orgMemberQuotaRow(trx, orgId);
  return row === undefined ? undefined : Number(row.quota_limit);
}

/** Global targets: set only by the settings (Grafana has no API for them either). */
const GLOBAL_TARGETS = {
  user: { srv: 'user', setting: 'globalUser', usage: store.countAllUsers, lockKey: -1 },
  org: { srv: 'org', setting: 'globalOrg', usage: store.countAllOrgs, lockKey: -2 },
} as const;

export interface QuotaView {
  target: string;
  limit: number;
  used: number;
}

const quotaReached = (srv: string, target: string) => new DomainError('forbidden', 'quota.reached', `${srv} Quota reached`, { target });

const invalidTarget = () => notFound('quota.invalid-target', 'Invalid quota target');

// ---------------------------------------------------------------------------------------------
// Enforcement

/**
 * Refuses the creation of one more `target` in an org whose quota it would pass. Runs under the
 * org's lock, after the lock is held: under `exclusive` the org's writers take turns, so two
 * requests racing for the last place cannot both count it free. A finite limit seen under the
 * `shared` lock (which lets non-Admin member additions run side by side) answers NEEDS_EXCLUSIVE,
 * so the caller runs again under the exclusive one; a quota change takes the exclusive lock too.
 */
export async function checkOrgQuota(ctx: Ctx, trx: Db, orgId: number, target: OrgTarget, lock: OrgLock = 'exclusive', seen?: { row: number | undefined }): Promise<void | typeof NEEDS_EXCLUSIVE> {
  const spec = ORG_TARGETS[target];
  // `seen`: the org's own limit, already read under the lock in the caller's round trip.
  const row = seen ? seen.row : await store.orgQuotaLimit(trx, orgId, target);
  const limit = row ?? ctx.settings.quotas[spec.setting];
  if (limit < 0) return;
  if (lock === 'shared') return NEEDS_EXCLUSIVE;
  if ((await spec.usage(trx, orgId)) >= limit) throw quotaReached(spec.srv, target);
}

/**
 * Refuses a new org to a user who belongs to as many orgs as their quota (Grafana's user_org,
 * checked when the user creates an org). Concurrent creations by the same user take turns on an
 * advisory lock keyed by the user (store/quotas.ts holdQuotaLock), taken only when the limit is
 * finite.
 */
export async function checkUserOrgQuota(ctx: Ctx, trx: Db, userId: number): Promise<void> {
  const spec = USER_TARGETS.org_user;
  const limit = (await store.userQuotaLimit(trx, userId, 'org_user')) ?? ctx.settings.quotas[spec.setting];
  if (limit < 0) return;
  await store.holdQuotaLock(trx, ctx.dialect, userId);
  if ((await spec.usage(trx, userId)) >= limit) throw quotaReached(spec.srv, 'org_user');
}

/**
 * Refuses one more user or org past the server-wide quota. No row stands for "the server" to lock,
 * so the check and the insert after it hold an advisory lock of their own for the rest of the
 * transaction (PostgreSQL; SQLite's writers already take turns): a second creation counts only
 * after the first committed or rolled back. Taken first in its transaction, before any org row,
 * and only when the limit is finite, so unlimited servers pay nothing.
 */
export async function checkGlobalQuota(ctx: Ctx, trx: Db, target: keyof typeof GLOBAL_TARGETS): Promise<void> {
  const spec = GLOBAL_TARGETS[target];
  const limit = ctx.settings.quotas[spec.setting];
  if (limit < 0) return;
  await store.holdQuotaLock(trx, ctx.dialect, spec.lockKey);
  if ((await spec.usage(trx)) >= limit) throw quotaReached(spec.srv, target);
}

/**
 * checkGlobalQuota's lock alone, for a transaction that decides only under the org's lock whether
 * it creates (and then checks): the lock still comes before the org's. Taking it again is free.
 */
export async function lockGlobalQuota(ctx: Ctx, trx: Db, target: keyof typeof GLOBAL_TARGETS): Promise<void> {
  const spec = GLOBAL_TARGETS[target];
  if (ctx.settings.quotas[spec.setting] >= 0) await store.holdQuotaLock(trx, ctx.dialect, spec.lockKey);
}

// ---------------------------------------------------------------------------------------------
// Reading and setting

async function views(db: Db, targets: Record<string, TargetSpec>, defaults: QuotaDefaults, rows: Map<string, number>, id: number): Promise<QuotaView[]> {
  return Promise.all(Object.entries(targets).map(async ([target, spec]) => ({ target, limit: rows.get(target) ?? defaults[spec.setting], used: await spec.usage(db, id) })));
}

/** An org's quotas with their usage (Grafana's orgs.quotas:read: every member, and server admins). */
export async function listOrgQuotas(ctx: Ctx, p: Principal, orgId: number): Promise<QuotaView[]> {
  // Grafana lists an unknown org with the default limits; Roster answers 404 (docs/compat/grafana.md#quotas).
  await authorize(ctx, p, 'orgs.quotas:read', orgId);
  const [rows, org] = await Promise.all([store.orgQuotaRows(ctx.db, orgId), findOrgById(ctx.db, orgId)]);
  if (!org) throw notFound('org.not-found', 'Organization not found');
  return views(ctx.db, ORG_TARGETS, ctx.settings.quotas, rows, orgId);
}

/** A user's quotas: server admins (users.quotas:read) for anyone, every user for their own. */
export async function listUserQuotas(ctx: Ctx, p: Principal, userId: 'self' | (() => number)): Promise<QuotaView[]> {
  let id: number;
  if (userId === 'self') {
    if (p.kind === 'service-account' || p.userId === null) throw new DomainError('forbidden', 'user-only', 'Endpoint only available for users', { action: 'user' });
    id = p.userId;
  } else {
    // The id is read once the caller may read any user's quotas (Grafana authorizes before parsing).
    authorizeGlobal(p, 'users.quotas:read');
    id = userId();
  }
  if (!(await findUser(ctx.db, id))) throw notFound('user.not-found', 'User not found');
  return views(ctx.db, USER_TARGETS, ctx.settings.quotas, await store.userQuotaRows(ctx.db, id), id);
}

/** Grafana binds an int64; Roster keeps limits exact, so within JavaScript's safe integers. */
function validLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit)) throw invalid('quota.bad-limit', 'bad request data');
  return limit;
}

/** Sets an org's quota for one target (server admins: orgs.quotas:write), audited. */
export async function setOrgQuota(ctx: Ctx, p: Principal, orgId: number, target: string, limitInput: unknown): Promise<void> {
  await authorize(ctx, p, 'orgs.quotas:write', orgId);
  // Grafana binds the body before it looks at the target.
  const limit = validLimit(limitInput);
  if (!Object.hasOwn(ORG_TARGETS, target)) throw invalidTarget();
  await inTransaction(ctx, async (trx) => {
    // The exclusive lock: a creation checking this quota finishes before the change, or sees it.
    await lockLiveOrg(ctx, trx, orgId);
    const before = await store.orgQuotaLimit(trx, orgId, target);
    await store.upsertOrgQuota(trx, orgId, target, limit, now());
    await audit(trx, p, { action: 'quota.update', objectType: 'quota', objectId: `org:${orgId}:${target}`, orgId, before: { limit: before ?? null }, after: { limit } });
  });
}

/** Sets a user's quota for one target (server admins: users.quotas:write), audited. */
export async function setUserQuota(ctx: Ctx, p: Principal, user: () => number, target: string, limitInput: unknown): Promise<void> {
  authorizeGlobal(p, 'users.quotas:write');
  const limit = validLimit(limitInput);
  const userId = user();
  if (!Object.hasOwn(USER_TARGETS, target)) throw invalidTarget();
  await inTransaction(ctx, async (trx) => {
    // The lock checkUserOrgQuota takes: an org creation by this user finishes first, or sees the change.
    await store.holdQuotaLock(trx, ctx.dialect, userId);
    if (!(await findUser(trx, userId))) throw notFound('user.not-found', 'User not found');
    const before = await store.userQuotaLimit(trx, userId, target);
    await store.upsertUserQuota(trx, userId, target, limit, now());
    await audit(trx, p, { action: 'quota.update', objectType: 'quota', objectId: `user:${userId}:${target}`, before: { limit: before ?? null }, after: { limit } });
  });
}
