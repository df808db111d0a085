// Memberships: who belongs to which org with which role, and the rules that keep every org
// with an Admin (and an owner among its Admins).
import { sql } from 'kysely';
import { authorize, isRole, roleIn, roleIncludes, targetUser, type Role, type UserRef } from './policy/index.ts';
import { audit, type Actor } from './audit.ts';
import { now } from './clock.ts';
import { ilike, likePattern, NEEDS_EXCLUSIVE, withOrgLock, type Ctx, type Db, type OrgLock } from './context.ts';
import { conflict, forbidden, invalid, notFound } from './errors.ts';
import { uuidv7 } from './ids.ts';
import { repairCurrentOrg } from './orgs.ts';
import type { Principal } from './principal.ts';
import { findUserByLoginOrEmail, deleteUserRow } from './users.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../store/errors.ts';
import { precompiled, precompiledChange } from '../store/precompiled.ts';

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

// The write path's statements (add, change role, remove), compiled once: building them with
// Kysely on each request was about a fifth of a write's CPU (bench write mix).
const anyMemberOf = precompiled((db, orgId: number) =>
  db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).limit(sql.lit(1)),
);
const insertMember = precompiledChange(
  (db, org_id: number, user_id: number, role: Role, is_owner: 0 | 1, uuid: string, created_at: string, updated_at: string) =>
    db.insertInto('org_members').values({ org_id, user_id, role, is_owner, uuid, created_at, updated_at }),
);
// A user whose current org is not one of theirs lands in the org they just joined.
const landInOrg = precompiledChange((db, orgId: number, userId: number) =>
  db
    .updateTable('users')
    .set({ org_id: orgId })
    .where('id', '=', userId)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('org_members as current').select('current.org_id').whereRef('current.org_id', '=', 'users.org_id').whereRef('current.user_id', '=', 'users.id'))),
    ),
);
const membershipOf = precompiled((db, orgId: number, userId: number) =>
  db.selectFrom('org_members').select(['role', 'is_owner']).where('org_id', '=', orgId).where('user_id', '=', userId),
);
const setMemberRole = precompiledChange((db, role: Role, isOwner: 0 | 1, updatedAt: string, orgId: number, userId: number) =>
  db.updateTable('org_members').set({ role, is_owner: isOwner, updated_at: updatedAt }).where('org_id', '=', orgId).where('user_id', '=', userId),
);
const deleteMember = precompiledChange((db, orgId: number, userId: number) =>
  db.deleteFrom('org_members').where('org_id', '=', orgId).where('user_id', '=', userId),
);
const deleteTeamMemberships = precompiledChange((db, userId: number, orgId: number) =>
  db
    .deleteFrom('team_members')
    .where('user_id', '=', userId)
    .where('team_id', 'in', (eb) => eb.selectFrom('teams').select('id').where('org_id', '=', orgId)),
);
const userAfterRemoval = precompiled((db, userId: number) =>
  db
    .selectFrom('users')
    .select((eb) => ['org_id', 'is_admin', eb.exists(eb.selectFrom('org_members').select('org_id').whereRef('org_members.user_id', '=', 'users.id')).as('inAnyOrg')])
    .where('id', '=', userId),
);

export function validateRole(role: unknown): Role {
  if (!isRole(role)) throw invalid('role.invalid', 'Invalid role specified');
  return role;
}

/** A caller cannot grant a role above their own in that org, unless they are a server admin. */
async function checkRoleCeiling(ctx: Ctx, p: Principal, orgId: number, role: Role): Promise<void> {
  if (p.isServerAdmin) return;
  const own = await roleIn(ctx, p, orgId);
  if (!own || !roleIncludes(own, role)) {
    throw forbidden('org.users:write', "Cannot assign a role higher than user's role", 'role.ceiling');
  }
}

export async function addMember(
  ctx: Ctx,
  p: Principal,
  orgId: number,
  input: { loginOrEmail: string; role: unknown },
): Promise<{ userId: number }> {
  await authorize(ctx, p, 'org.users:add', orgId);
  const role = validateRole(input.role);
  await checkRoleCeiling(ctx, p, orgId, role);
  const user = await findUserByLoginOrEmail(ctx.db, input.loginOrEmail);
  if (!user) throw notFound('user.not-found', 'User not found');
  try {
    await withOrgLock(ctx, orgId, role === 'Admin' ? 'exclusive' : 'shared', async (trx, found, lock) => {
      if (!found) throw notFound('org.not-found', 'Organization not found');
      return insertMembership(trx, orgId, user.id, role, p, lock);
    });
  } catch (err) {
    // The user was deleted by a concurrent request after the lookup above.
    if (isForeignKeyViolation(err)) throw notFound('user.not-found', 'User not found');
    throw err;
  }
  return { userId: user.id };
}

/**
 * Adds a membership inside the caller's transaction (org already locked). The first member of an
 * org that has none (one made by the CLI, or org 1 re-created by auto-assign) becomes its Admin and
 * owner, so an org with members always has an Admin; under the shared lock that answers
 * NEEDS_EXCLUSIVE instead (nothing written).
 */
export async function insertMembership(
  trx: Db,
  orgId: number,
  userId: number,
  requested: Role,
  actor: Actor = null,
  lock: OrgLock = 'exclusive',
): Promise<void | typeof NEEDS_EXCLUSIVE> {
  const [anyMember] = await anyMemberOf(trx, orgId);
  const role: Role = anyMember ? requested : 'Admin';
  if (role === 'Admin' && lock === 'shared') return NEEDS_EXCLUSIVE;
  // An org without an owner gets its first Admin as owner.
  const owner =
    role === 'Admin'
      ? await trx.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).where('is_owner', '=', 1).executeTakeFirst()
      : { user_id: 0 };
  const ts = now();
  try {
    await insertMember(trx, orgId, userId, role, owner ? 0 : 1, uuidv7(), ts, ts);
  } catch (err) {
    // The primary key (org_id, user_id) is the membership check: one statement fewer under the
    // org's lock than looking first.
    if (isUniqueViolation(err)) throw conflict('member.exists', 'User is already member of this organization', { userId });
    throw err;
  }
  await audit(trx, actor, { action: 'member.add', objectType: 'member', objectId: `${orgId}:${userId}`, orgId, after: { role, isOwner: !owner } });
  await landInOrg(trx, orgId, userId);
}

async function countAdmins(trx: Db, orgId: number): Promise<number> {
  const r = await trx
    .selectFrom('org_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where('role', '=', 'Admin')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** When the last owner is demoted or removed, ownership passes to the longest-standing Admin. */
export async function ensureOwner(trx: Db, orgId: number, actor: Actor = null): Promise<void> {
  const owner = await trx
    .selectFrom('org_members')
    .select('user_id')
    .where('org_id', '=', orgId)
    .where('is_owner', '=', 1)
    .executeTakeFirst();
  if (owner) return;
  const heir = await trx
    .selectFrom('org_members')
    .select('user_id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'Admin')
    .orderBy('created_at')
    .orderBy('user_id')
    .limit(1)
    .executeTakeFirst();
  if (heir) {
    await trx.updateTable('org_members').set({ is_owner: 1 }).where('org_id', '=', orgId).where('user_id', '=', heir.user_id).execute();
    await audit(trx, actor, { action: 'member.owner.inherit', objectType: 'member', objectId: `${orgId}:${heir.user_id}`, orgId, before: { isOwner: false }, after: { isOwner: true } });
  }
}

export async function updateMemberRole(
  ctx: Ctx,
  p: Principal,
  orgId: number,
  userId: number,
  roleInput: unknown,
  opts: { isOwner?: boolean } = {},
): Promise<void> {
  await authorize(ctx, p, 'org.users:write', orgId);
  const role = validateRole(roleInput);
  await checkRoleCeiling(ctx, p, orgId, role);
  await withOrgLock(ctx, orgId, role === 'Admin' ? 'exclusive' : 'shared', async (trx, found, lock) => {
    if (!found) throw notFound('member.not-found', 'Organization user not found');
    const [m] = await membershipOf(trx, orgId, userId);
    if (!m) throw notFound('member.not-found', 'Organization user not found');
    // Demoting an Admin may leave the org without one (or without an owner).
    if (m.role === 'Admin' && lock === 'shared') return NEEDS_EXCLUSIVE;
    if (m.role === 'Admin' && role !== 'Admin' && (await countAdmins(trx, orgId)) <= 1) {
      throw invalid('member.last-admin', 'Cannot change role so that there is no organization admin left');
    }
    const isOwner = role !== 'Admin' ? 0 : opts.isOwner === undefined ? m.is_owner : opts.isOwner ? 1 : 0;
    const changed = await setMemberRole(trx, role, isOwner, now(), orgId, userId);
    // Removed by a concurrent request (shared lock) since it was read.
    if (changed === 0) throw notFound('member.not-found', 'Organization user not found');
    await audit(trx, p, {
      action: 'member.role.update',
      objectType: 'member',
      objectId: `${orgId}:${userId}`,
      orgId,
      before: { role: m.role, isOwner: !!m.is_owner },
      after: { role, isOwner: !!isOwner },
    });
    // Ownership can only have gone (an owner demoted) or become due (an Admin in an ownerless org).
    if (!isOwner && (m.is_owner || role === 'Admin')) await ensureOwner(trx, orgId, p);
  });
}

/**
 * Removes a user from an org with their team memberships there, if the caller holds
 * org.users:remove. Removing a non-member succeeds silently (Grafana). With `deleteOrphan`, a
 * user left in no org who is not a server admin is deleted (Grafana's DELETE /api/org/users/:id);
 * returns whether that happened.
 */
export async function removeMember(
  ctx: Ctx,
  p: Principal,
  orgId: number,
  userId: number,
  opts: { deleteOrphan?: boolean } = {},
): Promise<{ userDeleted: boolean }> {
  await authorize(ctx, p, 'org.users:remove', orgId);
  return deleteMembership(ctx, p, orgId, userId, opts);
}

/**
 * The removal itself, for operations that decide under their own product's rules
 * (posthog-members.ts: PostHog lets any member leave).
 */
export async function deleteMembership(
  ctx: Ctx,
  p: Principal,
  orgId: number,
  userId: number,
  opts: { deleteOrphan?: boolean } = {},
): Promise<{ userDeleted: boolean }> {
  return withOrgLock(ctx, orgId, 'shared', async (trx, _found, lock) => {
    const [m] = await membershipOf(trx, orgId, userId);
    if (!m) return { userDeleted: false };
    // Removing an Admin may leave the org without one (or without an owner).
    if (m.role === 'Admin' && lock === 'shared') return NEEDS_EXCLUSIVE;
    if (m.role === 'Admin' && (await countAdmins(trx, orgId)) <= 1) {
      throw invalid('member.last-admin-remove', 'Cannot remove last organization admin');
    }
    // A concurrent removal (shared lock) got there first: it reports and audits the change.
    if ((await deleteMember(trx, orgId, userId)) === 0) return { userDeleted: false };
    await deleteTeamMemberships(trx, userId, orgId);
    await audit(trx, p, { action: 'member.remove', objectType: 'member', objectId: `${orgId}:${userId}`, orgId, before: { role: m.role } });
    if (m.is_owner) await ensureOwner(trx, orgId, p);
    const [user] = await userAfterRemoval(trx, userId);
    if (!user) return { userDeleted: false };
    if (opts.deleteOrphan && !user.is_admin && !user.inAnyOrg) {
      await deleteUserRow(ctx, trx, userId, p);
      return { userDeleted: true };
    }
    if (user.org_id === orgId) await repairCurrentOrg(trx, userId);
    return { userDeleted: false };
  });
}

export type MemberSort = 'login' | 'email' | 'name' | 'role' | 'lastSeenAt' | 'created' | 'joined';

export interface MemberSearch {
  query?: string;
  limit?: number;
  offset?: number;
  sort?: { key: MemberSort; desc: boolean }[];
  /** Filter to one login (OnCall's username), case-insensitive. */
  login?: string;
  email?: string;
  roles?: Role[];
  teamId?: number;
  /** Filter to one user by OnCall public id or by internal id. */
  publicId?: string;
  userId?: number;
  /** Leave out disabled users (PostHog lists only active ones). */
  activeOnly?: boolean;
  /** Memberships changed after this ISO time. */
  updatedAfter?: string;
}

const SORT_COLUMN: Record<MemberSort, string> = {
  login: 'users.login',
  email: 'users.email',
  name: 'users.name',
  role: 'org_members.role',
  lastSeenAt: 'users.last_seen_at',
  created: 'users.created_at',
  joined: 'org_members.created_at',
};

function memberQuery(db: Db, orgId: number, q: MemberSearch) {
  let sel = db
    .selectFrom('org_members')
    .innerJoin('users', 'users.id', 'org_members.user_id')
    .where('org_members.org_id', '=', orgId);
  if (q.query) {
    const pat = likePattern(q.query, 'contains');
    sel = sel.where((eb) => eb.or([ilike('users.login', pat), ilike('users.email', pat), ilike('users.name', pat)]));
  }
  if (q.login) sel = sel.where('users.login', '=', q.login.toLowerCase());
  if (q.email) sel = sel.where('users.email', '=', q.email.toLowerCase());
  if (q.roles) sel = sel.where('org_members.role', 'in', q.roles.length ? q.roles : ['-']);
  if (q.publicId !== undefined) sel = sel.where('users.public_id', '=', q.publicId);
  if (q.userId !== undefined) sel = sel.where('users.id', '=', q.userId);
  if (q.activeOnly) sel = sel.where('users.is_disabled', '=', 0);
  if (q.updatedAfter) sel = sel.where('org_members.updated_at', '>', q.updatedAfter);
  if (q.teamId !== undefined) {
    const teamId = q.teamId;
    sel = sel.where('users.id', 'in', (eb) => eb.selectFrom('team_members').select('user_id').where('team_id', '=', teamId));
  }
  return sel;
}

/** Lists an org's members (no permission check: callers authorize for their face). */
export async function queryMembers(ctx: Ctx, orgId: number, q: MemberSearch): Promise<{ total: number; members: Member[] }> {
  const base = memberQuery(ctx.db, orgId, q);
  let sel = base.select([
    'org_members.org_id as orgId',
    'org_members.user_id as userId',
    'users.uid as uid',
    'users.public_id as publicId',
    'users.uuid as userUuid',
    'users.login as login',
    'users.email as email',
    'users.name as name',
    'org_members.role as role',
    'org_members.is_owner as isOwner',
    'users.is_disabled as isDisabled',
    'users.last_seen_at as lastSeenAt',
    'org_members.uuid as membershipUuid',
    'org_members.created_at as joinedAt',
    'org_members.updated_at as updatedAt',
  ]);
  for (const s of q.sort ?? []) sel = sel.orderBy(sql.ref(SORT_COLUMN[s.key]), s.desc ? 'desc' : 'asc');
  sel = sel.orderBy('org_members.user_id');
  if (q.limit) sel = sel.limit(q.limit);
  if (q.offset) sel = sel.offset(q.offset);
  const rows = await sel.execute();
  const total =
    q.limit || q.offset
      ? Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
      : rows.length;
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
  return ctx.db
    .selectFrom('org_members')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The orgs a user (the caller, or anyone for a server admin) belongs to, by name (case-insensitive), as Grafana's /api/user/orgs. */
export async function userOrgs(ctx: Ctx, p: Principal, ref: UserRef) {
  const userId = await targetUser(p, ref, 'user.self:read', 'users:read');
  const rows = await ctx.db
    .selectFrom('org_members')
    .innerJoin('orgs', 'orgs.id', 'org_members.org_id')
    .select(['orgs.id as orgId', 'orgs.name as name', 'org_members.role as role', 'org_members.is_owner as isOwner'])
    .where('org_members.user_id', '=', userId)
    .orderBy(sql`lower(orgs.name)`)
    .orderBy('orgs.id')
    .execute();
  return rows.map((r) => ({ ...r, role: r.role as Role, isOwner: !!r.isOwner }));
}
