// Searching an org's members: filters on the membership and the user, sort, one page and the total.
import { sql } from 'kysely';
import { containsFilter } from './contains-search.ts';
import type { Db, Dialect } from './db.ts';

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

async function memberQuery(db: Db, dialect: Dialect, orgId: number, q: MemberFilter) {
  let sel = db.selectFrom('org_members').innerJoin('users', 'users.id', 'org_members.user_id').where('org_members.org_id', '=', orgId);
  if (q.query) {
    // How many rows the org's part of the query reads (the primary key's org_id prefix).
    const members =
      dialect === 'sqlite'
        ? Number(
            (
              await db
                .selectFrom('org_members')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('org_id', '=', orgId)
                .executeTakeFirstOrThrow()
            ).n,
          )
        : undefined;
    sel = sel.where(await containsFilter(db, dialect, 'users', q.query, { within: members }));
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
export async function selectMembers(db: Db, dialect: Dialect, orgId: number, q: MemberFilter) {
  const base = await memberQuery(db, dialect, orgId, q);
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
  const total = q.limit || q.offset ? Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) : rows.length;
  return { total, rows };
}
