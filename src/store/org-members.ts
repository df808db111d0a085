// The org_members table: who belongs to which org with which role, and who owns it.
// Searching members: member-search.ts; a user's orgs through their memberships: member-orgs.ts.
import { sql } from 'kysely';
import { batches } from './batches.ts';
import type { Db, Dialect } from './db.ts';
import { precompiled, precompiledChange } from './precompiled.ts';

// The write path's statements (add, change role, remove), compiled once: building them with
// Kysely on each request was about a fifth of a write's CPU (bench write mix).
export const anyMemberOf = precompiled((db, orgId: number) => db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).limit(sql.lit(1)));
export const insertMember = precompiledChange((db, org_id: number, user_id: number, role: string, is_owner: 0 | 1, uuid: string, created_at: string, updated_at: string) =>
  db.insertInto('org_members').values({ org_id, user_id, role, is_owner, uuid, created_at, updated_at }),
);
/** A user whose current org is not one of theirs lands in `orgId`. */
export const landInOrg = precompiledChange((db, orgId: number, userId: number) =>
  db
    .updateTable('users')
    .set({ org_id: orgId })
    .where('id', '=', userId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('org_members as current').select('current.org_id').whereRef('current.org_id', '=', 'users.org_id').whereRef('current.user_id', '=', 'users.id')))),
);
const membershipOf = precompiled((db, orgId: number, userId: number) => db.selectFrom('org_members').select(['role', 'is_owner']).where('org_id', '=', orgId).where('user_id', '=', userId));
export const setMemberRole = precompiledChange((db, role: string, isOwner: 0 | 1, updatedAt: string, orgId: number, userId: number) =>
  db.updateTable('org_members').set({ role, is_owner: isOwner, updated_at: updatedAt }).where('org_id', '=', orgId).where('user_id', '=', userId),
);
export const deleteMember = precompiledChange((db, orgId: number, userId: number) => db.deleteFrom('org_members').where('org_id', '=', orgId).where('user_id', '=', userId));
/** A user's team memberships in one org. */
export const deleteTeamMemberships = precompiledChange((db, userId: number, orgId: number) =>
  db
    .deleteFrom('team_members')
    .where('user_id', '=', userId)
    .where('team_id', 'in', (eb) => eb.selectFrom('teams').select('id').where('org_id', '=', orgId)),
);
/** What removing a membership from `orgId` leaves of the user: current org, server-admin flag, whether another org has them. */
export const userBeyondOrg = precompiled((db, orgId: number, userId: number) =>
  db
    .selectFrom('users')
    .select((eb) => [
      'org_id',
      'is_admin',
      eb.exists(eb.selectFrom('org_members').select('org_id').whereRef('org_members.user_id', '=', 'users.id').where('org_members.org_id', '!=', orgId)).as('inOtherOrg'),
    ])
    .where('id', '=', userId),
);

/**
 * A membership read to be changed or removed in the same transaction: on PostgreSQL its row stays
 * locked until then, so no concurrent removal (which may hold the org's lock shared too) makes
 * the change miss. SQLite serializes writers already.
 */
export async function membershipForChange(db: Db, dialect: Dialect, orgId: number, userId: number): Promise<{ role: string; is_owner: 0 | 1 }[]> {
  if (dialect === 'postgres') return (await sql<{ role: string; is_owner: 0 | 1 }>`select role, is_owner from org_members where org_id = ${orgId} and user_id = ${userId} for update`.execute(db)).rows;
  return membershipOf(db, orgId, userId);
}

export async function isMember(db: Db, orgId: number, userId: number): Promise<boolean> {
  return !!(await db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst());
}

/** Which of these users are members of the org. */
export async function membersAmong(db: Db, orgId: number, userIds: number[]): Promise<Set<number>> {
  const found = await Promise.all(batches(userIds).map((ids) => db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).where('user_id', 'in', ids).execute()));
  return new Set(found.flat().map((r) => r.user_id));
}

export async function findMembership(db: Db, orgId: number, userId: number) {
  return db.selectFrom('org_members').selectAll().where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
}

export async function countAdmins(db: Db, orgId: number): Promise<number> {
  const r = await db
    .selectFrom('org_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where('role', '=', 'Admin')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findOwner(db: Db, orgId: number): Promise<{ user_id: number } | undefined> {
  return db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).where('is_owner', '=', 1).executeTakeFirst();
}

/** The org's Admin who joined first. */
export async function longestStandingAdmin(db: Db, orgId: number): Promise<{ user_id: number } | undefined> {
  return db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).where('role', '=', 'Admin').orderBy('created_at').orderBy('user_id').limit(1).executeTakeFirst();
}

export async function makeOwner(db: Db, orgId: number, userId: number): Promise<void> {
  await db.updateTable('org_members').set({ is_owner: 1 }).where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

/** The ids of a user's orgs, ascending; `ownedOnly`: those the user owns. */
export async function orgIdsOfUser(db: Db, userId: number, ownedOnly = false): Promise<number[]> {
  let sel = db.selectFrom('org_members').select('org_id').where('user_id', '=', userId);
  if (ownedOnly) sel = sel.where('is_owner', '=', 1);
  return (await sel.orderBy('org_id').execute()).map((r) => r.org_id);
}

/** The name of an org where the user is the only Admin, if any. */
export async function orgWithSoleAdmin(db: Db, userId: number): Promise<{ name: string } | undefined> {
  return db
    .selectFrom('org_members as m')
    .innerJoin('orgs', 'orgs.id', 'm.org_id')
    .select('orgs.name')
    .where('m.user_id', '=', userId)
    .where('m.role', '=', 'Admin')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('org_members as o').select('o.user_id').whereRef('o.org_id', '=', 'm.org_id').where('o.role', '=', 'Admin').where('o.user_id', '!=', userId))))
    .executeTakeFirst();
}

/**
 * The lowest id among a user's orgs. `hold` (a transaction about to make it the user's current
 * org): on PostgreSQL the membership is locked (FOR KEY SHARE) until commit, so an org deletion
 * running at the same time either deletes it first (then the next org is taken) or waits for this
 * transaction, and then sees the user's new current org and repairs it (domain/orgs.ts deleteOrg).
 */
export async function firstOrgIdOf(db: Db, userId: number, hold?: Dialect): Promise<number | undefined> {
  const first = db.selectFrom('org_members').select('org_id').where('user_id', '=', userId).orderBy('org_id').limit(1);
  return (await (hold === 'postgres' ? first.forKeyShare() : first).executeTakeFirst())?.org_id;
}

/** The user's role in the org, or undefined when not a member. */
export async function memberRole(db: Db, orgId: number, userId: number): Promise<string | undefined> {
  return (await db.selectFrom('org_members').select('role').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst())?.role;
}

/** A member of the org whose user has this (lower-case) email. */
export async function memberWithEmail(db: Db, orgId: number, email: string): Promise<{ id: number } | undefined> {
  return db
    .selectFrom('org_members')
    .innerJoin('users', 'users.id', 'org_members.user_id')
    .select('users.id')
    .where('org_members.org_id', '=', orgId)
    .where('users.email', '=', email)
    .executeTakeFirst();
}

export async function markOwner(db: Db, orgId: number, userId: number, updatedAt: string): Promise<void> {
  await db.updateTable('org_members').set({ is_owner: 1, updated_at: updatedAt }).where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

/** Members of an org whose user is not disabled. */
export async function countActiveMembers(db: Db, orgId: number): Promise<number> {
  const r = await db
    .selectFrom('org_members')
    .innerJoin('users', 'users.id', 'org_members.user_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_members.org_id', '=', orgId)
    .where('users.is_disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
