// Memberships: who belongs to which org with which role, and the rules that keep every org
// with an Admin (and an owner among its Admins).
import { authorize, isRole, roleIn, roleIncludes, targetUser, type Role, type UserRef } from './policy/index.ts';
import { audit, type Actor } from './audit.ts';
import { now } from './clock.ts';
import { longReads, NEEDS_EXCLUSIVE, withOrgLock, type Commit, type Ctx, type Db, type OrgLock } from './context.ts';
import { conflict, forbidden, invalid, notFound } from './errors.ts';
import { uuidv7 } from './ids.ts';
import { repairCurrentOrg } from './orgs.ts';
import type { Principal } from './principal.ts';
import { findUserByLoginOrEmail } from './user-lookup.ts';
import { deleteUserRow } from './user-deletion.ts';
import { readOwnership, settleOwnership } from './org-ownership.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../store/errors.ts';
import {
  anyMemberOf,
  countAdmins,
  deleteMember,
  deleteTeamMemberships,
  findMembership,
  findOwner,
  insertMember,
  landInOrg,
  membershipForChange,
  setMemberRole,
  userBeyondOrg,
} from '../store/org-members.ts';
import { selectMembers, type MemberFilter, type MemberSort } from '../store/member-search.ts';
import { orgsOfUser } from '../store/member-orgs.ts';
import { checkOrgQuota, readMemberQuota } from './quotas.ts';
import { deleteUserRolesIn } from '../store/access-control.ts';

export { ensureOwner } from './org-ownership.ts';
export type { MemberSort };

export interface Member {
  orgId: number;
  userId: number;
  uid: string;
  /** OnCall public id (U...). */
  publicId: string;
  userUuid: string;
  login: string;
  email: string;
  name: string;
  role: Role;
  isOwner: boolean;
  isDisabled: boolean;
  lastSeenAt: string;
  membershipUuid: string;
  joinedAt: string;
  updatedAt: string;
}

/**
 * The member an update or removal names: a user id, or a lookup (a Grafana uid) that runs before
 * the permission check, as Grafana resolves the path before its org-scoped RBAC check.
 */
export type MemberUser = number | (() => Promise<number>);

async function memberUserId(user: MemberUser): Promise<number> {
  return typeof user === 'number' ? user : user();
}

export function validateRole(role: unknown): Role {
  if (!isRole(role)) throw invalid('role.invalid', 'Invalid role specified');
  return role;
}

/** A caller cannot grant a role above their own in that org, unless they are a server admin. */
export async function checkRoleCeiling(ctx: Ctx, p: Principal, orgId: number, role: Role): Promise<void> {
  if (p.isServerAdmin) return;
  const own = await roleIn(ctx, p, orgId);
  if (!own || !roleIncludes(own, role)) {
    throw forbidden('org.users:write', "Cannot assign a role higher than user's role", 'role.ceiling');
  }
}

export async function addMember(ctx: Ctx, p: Principal, orgId: number, input: { loginOrEmail: string; role: unknown }): Promise<{ userId: number }> {
  await authorize(ctx, p, 'org.users:add', orgId);
  const role = validateRole(input.role);
  await checkRoleCeiling(ctx, p, orgId, role);
  try {
    return await withOrgLock(ctx, orgId, role === 'Admin' ? 'exclusive' : 'shared', async (trx, { found, lock, commit }) => {
      // The user is looked up with what the rule reads, in the lock's round trip.
      const [user, orgFound, seen] = await Promise.all([findUserByLoginOrEmail(trx, input.loginOrEmail), found, readMembershipRule(trx, orgId)]);
      if (!user) throw notFound('user.not-found', 'User not found');
      if (!orgFound) throw notFound('org.not-found', 'Organization not found');
      const added = await insertMembership(ctx, trx, orgId, user.id, role, { actor: p, lock, seen, commit });
      return added === NEEDS_EXCLUSIVE ? added : { userId: user.id };
    });
  } catch (err) {
    // The user was deleted by a concurrent request after the lookup above.
    if (isForeignKeyViolation(err)) throw notFound('user.not-found', 'User not found');
    throw err;
  }
}

/** What adding a membership decides on, read under the org's lock. */
export interface MembershipRuleFacts {
  anyMember: boolean;
  hasOwner: boolean;
  /** The org's own member quota (domain/quotas.ts), undefined when it has the default. */
  memberQuota: number | undefined;
}

export async function readMembershipRule(trx: Db, orgId: number): Promise<MembershipRuleFacts> {
  const [[anyMember], owner, memberQuota] = await Promise.all([anyMemberOf(trx, orgId), findOwner(trx, orgId), readMemberQuota(trx, orgId)]);
  return { anyMember: !!anyMember, hasOwner: !!owner, memberQuota };
}

/**
 * Adds a membership inside the caller's transaction (org already locked): decideMembership, then
 * writeMembership. `seen`: the facts read with the lock (read here otherwise); `commit`: ends the
 * transaction with these writes, in their round trip.
 */
export async function insertMembership(
  ctx: Ctx,
  trx: Db,
  orgId: number,
  userId: number,
  requested: Role,
  opts: { actor?: Actor; lock?: OrgLock; seen?: MembershipRuleFacts; commit?: Commit } = {},
): Promise<void | typeof NEEDS_EXCLUSIVE> {
  const { actor = null, lock = 'exclusive', commit } = opts;
  const seen = opts.seen ?? (await readMembershipRule(trx, orgId));
  const decided = await decideMembership(ctx, trx, orgId, requested, lock, seen);
  if (decided === NEEDS_EXCLUSIVE) return NEEDS_EXCLUSIVE;
  try {
    await writeMembership(trx, orgId, userId, decided, actor, commit);
  } catch (err) {
    // The primary key (org_id, user_id) is the membership check: one statement fewer under the
    // org's lock than looking first.
    if (isUniqueViolation(err)) throw conflict('member.exists', 'User is already member of this organization', { userId });
    throw err;
  }
}

/** The membership a new member gets, decided under the org's lock (decideMembership). */
export interface MembershipDecision {
  role: Role;
  isOwner: boolean;
}

/**
 * The membership rule: the org's member quota, and the first member of an org that has none (one
 * made by the CLI, or org 1 re-created by auto-assign) becomes its Admin and owner, so an org with
 * members always has an Admin. Under the shared lock, a finite quota or an Admin to add answers
 * NEEDS_EXCLUSIVE instead.
 */
export async function decideMembership(ctx: Ctx, trx: Db, orgId: number, requested: Role, lock: OrgLock, seen: MembershipRuleFacts): Promise<MembershipDecision | typeof NEEDS_EXCLUSIVE> {
  if ((await checkOrgQuota(ctx, trx, orgId, 'org_user', lock, { row: seen.memberQuota })) === NEEDS_EXCLUSIVE) return NEEDS_EXCLUSIVE;
  const role: Role = seen.anyMember ? requested : 'Admin';
  if (role === 'Admin' && lock === 'shared') return NEEDS_EXCLUSIVE;
  // An org without an owner gets its first Admin as owner.
  return { role, isOwner: role === 'Admin' && !seen.hasOwner };
}

/**
 * Issues a decided membership's writes at once (they share a round trip on PostgreSQL), with
 * `commit` behind them when given. An existing membership fails on the primary key.
 */
export function writeMembership(trx: Db, orgId: number, userId: number, d: MembershipDecision, actor: Actor, commit?: Commit): Promise<unknown> {
  const ts = now();
  return Promise.all([
    insertMember(trx, orgId, userId, d.role, d.isOwner ? 1 : 0, uuidv7(), ts, ts),
    audit(trx, actor, { action: 'member.add', objectType: 'member', objectId: `${orgId}:${userId}`, orgId, after: { role: d.role, isOwner: d.isOwner } }),
    landInOrg(trx, orgId, userId),
    ...(commit ? [commit()] : []),
  ]);
}

export async function updateMemberRole(ctx: Ctx, p: Principal, orgId: number, user: MemberUser, roleInput: unknown, opts: { isOwner?: boolean } = {}): Promise<void> {
  const userId = await memberUserId(user);
  await authorize(ctx, p, 'org.users:write', orgId);
  const role = validateRole(roleInput);
  await checkRoleCeiling(ctx, p, orgId, role);
  await changeMemberRole(ctx, p, orgId, userId, role, opts);
}

/** updateMemberRole's work, for callers that decided themselves (single sign-on's role mapping). */
export async function changeMemberRole(ctx: Ctx, p: Actor, orgId: number, userId: number, role: Role, opts: { isOwner?: boolean } = {}): Promise<void> {
  await withOrgLock(ctx, orgId, role === 'Admin' ? 'exclusive' : 'shared', async (trx, { found, lock, commit }) => {
    // With the lock, in its round trip: the membership (locked until changed), and the Admins
    // where that saves a round trip (adminCount).
    const admins = adminCount(ctx, trx, orgId, lock);
    const [orgFound, [m]] = await Promise.all([found, membershipForChange(trx, ctx.dialect, orgId, userId)]);
    if (!orgFound || !m) throw notFound('member.not-found', 'Organization user not found');
    // Demoting an Admin may leave the org without one (or without an owner).
    if (m.role === 'Admin' && lock === 'shared') return NEEDS_EXCLUSIVE;
    if (m.role === 'Admin' && role !== 'Admin' && (await admins()) <= 1) {
      throw invalid('member.last-admin', 'Cannot change role so that there is no organization admin left');
    }
    const isOwner = role !== 'Admin' ? 0 : opts.isOwner === undefined ? m.is_owner : opts.isOwner ? 1 : 0;
    // Ownership can only have gone (an owner demoted) or become due (an Admin in an ownerless org):
    // then it is read after the change, in the change's round trip, and settled in one more.
    // Otherwise the commit goes with the change.
    const ownershipDue = !isOwner && (!!m.is_owner || role === 'Admin');
    const [, , ownership] = await Promise.all([
      setMemberRole(trx, role, isOwner, now(), orgId, userId),
      audit(trx, p, {
        action: 'member.role.update',
        objectType: 'member',
        objectId: `${orgId}:${userId}`,
        orgId,
        before: { role: m.role, isOwner: !!m.is_owner },
        after: { role, isOwner: !!isOwner },
      }),
      ownershipDue ? readOwnership(trx, orgId) : undefined,
      ...(ownershipDue ? [] : [commit()]),
    ]);
    if (ownership) await settleOwnership(trx, orgId, ownership, p, commit);
  });
}

/**
 * The org's Admin count, for the rules that protect its last Admin, read when first asked. On
 * PostgreSQL under the exclusive lock it is read at once instead, so that it shares the lock's
 * round trip (a change that needs it holds that lock). On SQLite a statement costs no round
 * trip, and most changes (every one on a non-Admin) never ask.
 */
function adminCount(ctx: Ctx, trx: Db, orgId: number, lock: OrgLock): () => Promise<number> {
  if (ctx.dialect === 'sqlite' || lock === 'shared') return () => countAdmins(trx, orgId);
  const early = countAdmins(trx, orgId);
  // A failure is the rule's to report, if it asks.
  early.catch(() => {});
  return () => early;
}

/**
 * Removes a user from an org with their team memberships there, if the caller holds
 * org.users:remove. Removing a non-member succeeds silently (Grafana). With `deleteOrphan`, a
 * user left in no org who is not a server admin is deleted (Grafana's DELETE /api/org/users/:id);
 * returns whether that happened.
 */
export async function removeMember(ctx: Ctx, p: Principal, orgId: number, user: MemberUser, opts: { deleteOrphan?: boolean } = {}): Promise<{ userDeleted: boolean }> {
  const userId = await memberUserId(user);
  await authorize(ctx, p, 'org.users:remove', orgId);
  return deleteMembership(ctx, p, orgId, userId, opts);
}

/**
 * The removal itself, for operations that decide under their own product's rules
 * (posthog-members.ts: PostHog lets any member leave).
 */
export async function deleteMembership(ctx: Ctx, p: Principal, orgId: number, userId: number, opts: { deleteOrphan?: boolean } = {}): Promise<{ userDeleted: boolean }> {
  return withOrgLock(ctx, orgId, 'shared', async (trx, { found, lock, commit }) => {
    // With the lock, in its round trip: the membership (locked until removed), what the user has
    // besides, and the Admins where that saves a round trip (adminCount).
    const admins = adminCount(ctx, trx, orgId, lock);
    const [, [m], [user]] = await Promise.all([found, membershipForChange(trx, ctx.dialect, orgId, userId), userBeyondOrg(trx, orgId, userId)]);
    if (!m) return { userDeleted: false };
    // Removing an Admin may leave the org without one (or without an owner).
    if (m.role === 'Admin' && lock === 'shared') return NEEDS_EXCLUSIVE;
    if (m.role === 'Admin' && (await admins()) <= 1) {
      throw invalid('member.last-admin-remove', 'Cannot remove last organization admin');
    }
    const orphan = !!opts.deleteOrphan && !!user && !user.is_admin && !user.inOtherOrg;
    const repair = !!user && !orphan && user.org_id === orgId;
    // With nothing to settle afterwards, the commit goes with the removal.
    const last = !m.is_owner && !orphan && !repair;
    const [, , , , ownership] = await Promise.all([
      deleteMember(trx, orgId, userId),
      deleteTeamMemberships(trx, userId, orgId),
      deleteUserRolesIn(trx, userId, orgId),
      audit(trx, p, { action: 'member.remove', objectType: 'member', objectId: `${orgId}:${userId}`, orgId, before: { role: m.role } }),
      m.is_owner ? readOwnership(trx, orgId) : undefined,
      ...(last ? [commit()] : []),
    ]);
    if (ownership) await settleOwnership(trx, orgId, ownership, p);
    if (orphan) {
      await deleteUserRow(ctx, trx, userId, p);
      return { userDeleted: true };
    }
    if (repair) await repairCurrentOrg(trx, ctx.dialect, userId);
    return { userDeleted: false };
  });
}

/** Which members to list (store/member-search.ts MemberFilter), with roles named as roles. */
export interface MemberSearch extends MemberFilter {
  roles?: Role[];
}

/** Lists an org's members (no permission check: the domain reads that call it authorize their caller). */
export async function queryMembers(ctx: Ctx, orgId: number, q: MemberSearch): Promise<{ total: number; members: Member[] }> {
  // A text search can read many index entries: off the event loop (longReads).
  const { total, rows } = await selectMembers(q.query ? longReads(ctx) : ctx.db, ctx.dialect, orgId, q);
  return {
    total,
    members: rows.map((r) => ({ ...r, role: r.role as Role, isOwner: !!r.isOwner, isDisabled: !!r.isDisabled })),
  };
}

export async function listMembers(ctx: Ctx, p: Principal, orgId: number, q: MemberSearch) {
  await authorize(ctx, p, 'org.users:read', orgId);
  return queryMembers(ctx, orgId, q);
}

export async function getMembership(ctx: Ctx, orgId: number, userId: number) {
  return findMembership(ctx.db, orgId, userId);
}

/** The orgs a user (the caller, or anyone for a server admin) belongs to, by name (case-insensitive), as Grafana's /api/user/orgs. */
export async function userOrgs(ctx: Ctx, p: Principal, ref: UserRef) {
  const userId = await targetUser(p, ref, 'user.self:read', 'users:read');
  const rows = await orgsOfUser(ctx.db, userId);
  return rows.map((r) => ({ ...r, role: r.role as Role, isOwner: !!r.isOwner }));
}
