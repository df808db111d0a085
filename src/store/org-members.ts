// The org_members table: who belongs to which org with which role, and member searches.
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { precompiled, precompiledChange } from './precompiled.ts';
import { ilike, likePattern } from './text-match.ts';

// The write path's statements (add, change role, remove), compiled once: building them with
// Kysely on each request was about a fifth of a write's CPU (bench write mix).
export const anyMemberOf = precompiled((db, orgId: number) =>
  db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).limit(sql.lit(1)),
);
export const insertMember = precompiledChange(
  (db, org_id: number, user_id: number, role: string, is_owner: 0 | 1, uuid: string, created_at: string, updated_at: string) =>
    db.insertInto('org_members').values({ org_id, user_id, role, is_owner, uuid, created_at, updated_at }),
);
/** A user whose current org is not one of theirs lands in `orgId`. */
export const landInOrg = precompiledChange((db, orgId: number, userId: number) =>
  db
    .updateTable('users')
    .set({ org_id: orgId })
    .where('id', '=', userId)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('org_members as current').select('current.org_id').whereRef('current.org_id', '=', 'users.org_id').whereRef('current.user_id', '=', 'users.id'))),
    ),
);
export const membershipOf = precompiled((db, orgId: number, userId: number) =>
  db.selectFrom('org_members').select(['role', 'is_owner']).where('org_id', '=', orgId).where('user_id', '=', userId),
);
export const setMemberRole = precompiledChange((db, role: string, isOwner: 0 | 1, updatedAt: string, orgId: number, userId: number) =>
  db.updateTable('org_members').set({ role, is_owner: isOwner, updated_at: updatedAt }).where('org_id', '=', orgId).where('user_id', '=', userId),
);
export const deleteMember = precompiledChange((db, orgId: number, userId: number) =>
  db.deleteFrom('org_members').where('org_id', '=', orgId).where('user_id', '=', userId),
);
/** A user's team memberships in one org. */
export const deleteTeamMemberships = precompiledChange((db, userId: number, orgId: number) =>
  db
    .deleteFrom('team_members')
    .where('user_id', '=', userId)
    .where('team_id', 'in', (eb) => eb.selectFrom('teams').select('id').where('org_id', '=', orgId)),
);
/** What removing a membership leaves of the user: current org, server-admin flag, any org left. */
export const userAfterRemoval = precompiled((db, userId: number) =>
  db
    .selectFrom('users')
    .select((eb) => ['org_id', 'is_admin', eb.exists(eb.selectFrom('org_members').select('org_id').whereRef('org_members.user_id', '=', 'users.id')).as('inAnyOrg')])
    .where('id', '=', userId),
);

export async function isMember(db: Db, orgId: number, userId: number): Promise<boolean> {
  return !!(await db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst());
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
  return db
    .selectFrom('org_members')
    .select('user_id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'Admin')
    .orderBy('created_at')
    .orderBy('user_id')
    .limit(1)
    .executeTakeFirst();
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
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('org_members as o')
            .select('o.user_id')
            .whereRef('o.org_id', '=', 'm.org_id')
            .where('o.role', '=', 'Admin')
            .where('o.user_id', '!=', userId),
        ),
      ),
    )
    .executeTakeFirst();
}

/** The orgs a user belongs to, by name (case-insensitive), then id. */
export async function orgsOfUser(db: Db, userId: number) {
  return db
    .selectFrom('org_members')
    .innerJoin('orgs', 'orgs.id', 'org_members.org_id')
    .select(['orgs.id as orgId', 'orgs.name as name', 'org_members.role as role', 'org_members.is_owner as isOwner'])
    .where('org_members.user_id', '=', userId)
    .orderBy(sql`lower(orgs.name)`)
    .orderBy('orgs.id')
    .execute();
}

export type MemberSort = 'login' | 'email' | 'name' | 'role' | 'lastSeenAt' | 'created' | 'joined';

export interface MemberFilter {
  /** Case-insensitive substring of login, email or name. */
  query?: string;
  limit?: number;
  offset?: number;
  sort?: { key: MemberSort; desc: boolean }[];
  /** Exact login, compared lower-cased. */
  login?: string;
  email?: string;
  /** An empty list matches nobody. */
  roles?: readonly string[];
  teamId?: number;
  publicId?: string;
  userId?: number;
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

function memberQuery(db: Db, orgId: number, q: MemberFilter) {
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

/** An org's members matching `q`, one page, with the total when the page is not everything. */
export async function selectMembers(db: Db, orgId: number, q: MemberFilter) {
  const base = memberQuery(db, orgId, q);
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
  return { total, rows };
}

/** The lowest id among a user's orgs. */
export async function firstOrgIdOf(db: Db, userId: number): Promise<number | undefined> {
  return (await db.selectFrom('org_members').select('org_id').where('user_id', '=', userId).orderBy('org_id').limit(1).executeTakeFirst())?.org_id;
}

/** Which of these org uuids (lower-case) name orgs the user belongs to. */
export async function memberOrgUuidsAmong(db: Db, userId: number, uuids: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('org_members')
    .innerJoin('orgs', 'orgs.id', 'org_members.org_id')
    .select('orgs.uuid')
    .where('org_members.user_id', '=', userId)
    .where('orgs.uuid', 'in', uuids)
    .execute();
  return rows.map((r) => r.uuid);
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

function memberOrgQuery(db: Db, userId: number, onlyUuids: string[] | null) {
  let sel = db.selectFrom('orgs').innerJoin('org_members', 'org_members.org_id', 'orgs.id').where('org_members.user_id', '=', userId);
  if (onlyUuids) sel = sel.where('orgs.uuid', 'in', onlyUuids);
  return sel;
}

/** The user's orgs (`onlyUuids`: among these) in creation order, each with the user's role and owner flag; one page and the total. */
export async function selectMemberOrgs(db: Db, userId: number, onlyUuids: string[] | null, page: { limit: number; offset: number }) {
  const base = memberOrgQuery(db, userId, onlyUuids);
  const rows = await base
    .selectAll('orgs')
    .select(['org_members.role as member_role', 'org_members.is_owner as member_is_owner'])
    .orderBy('orgs.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { total: Number(total.n), rows };
}

/** One of the user's orgs by (lower-case) uuid, with the user's role and owner flag. */
export async function findMemberOrg(db: Db, userId: number, onlyUuids: string[] | null, uuid: string) {
  return memberOrgQuery(db, userId, onlyUuids)
    .selectAll('orgs')
    .select(['org_members.role as member_role', 'org_members.is_owner as member_is_owner'])
    .where('orgs.uuid', '=', uuid)
    .executeTakeFirst();
}
