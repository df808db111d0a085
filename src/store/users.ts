// The users table: lookups by each identifier, search, inserts and updates.
import { sql, type Insertable, type SelectQueryBuilder } from 'kysely';
import { countIndexed, DENSE_MATCHES, inIndex, indexable, likeAny, matchesAtLeast } from './contains-search.ts';
import type { Db, Dialect } from './db.ts';
import { precompiled } from './precompiled.ts';
import type { Database, UserRow, UserTable, UserUpdate } from './schema.ts';
import { countGram, countGrams, gramOf } from './user-grams.ts';
import { rarest, rowsWalked, trigramsOf, trigramWalk, walkBound } from './user-trigrams.ts';

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUid(db: Db, uid: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('uid', '=', uid).executeTakeFirst();
}

/** By OnCall public id (U...). */
export async function findUserByPublicId(db: Db, publicId: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

/** By PostHog uuid, lower-case. */
export async function findUserByUuid(db: Db, uuid: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

// Every member addition looks its user up: one statement for "login or email" (a member
// addition reads it in the round trip that takes the org's lock), compiled once (precompiled.ts).
const userByEither = (first: 'login' | 'email') =>
  precompiled((db, a: string, b: string, c: string) =>
    db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb.or([eb('login', '=', a), eb('email', '=', b)]))
      .orderBy((eb) => eb.case().when(first, '=', c).then(sql.lit(0)).else(sql.lit(1)).end())
      .limit(sql.lit(1)),
  );
const userByLoginFirst = userByEither('login');
const userByEmailFirst = userByEither('email');

/** The user whose login or email is exactly `key` (both are stored lower-cased); `first` wins when each names another user. */
export async function findUserByEither(db: Db, first: 'login' | 'email', key: string): Promise<UserRow | undefined> {
  return (await (first === 'login' ? userByLoginFirst : userByEmailFirst)(db, key, key, key))[0];
}

/** A user other than `exceptId` whose login or email is one of `login` and `email`. */
export async function findIdentifierClash(db: Db, login: string, email: string, exceptId?: number): Promise<{ id: number } | undefined> {
  let sel = db.selectFrom('users').select('id');
  if (exceptId !== undefined) sel = sel.where('id', '!=', exceptId);
  return sel.where((eb) => eb.or([eb('login', 'in', [login, email]), eb('email', 'in', [login, email])])).executeTakeFirst();
}

/**
 * PostgreSQL: the id the next user row gets, drawn from its sequence before the insert, so that
 * the statements naming the user can be issued with it. SQLite: undefined, the insert gives it
 * (no round trip there to save).
 */
export async function reserveUserId(db: Db, dialect: Dialect): Promise<number | undefined> {
  if (dialect !== 'postgres') return undefined;
  const r = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('users', 'id'))::integer as id`.execute(db);
  return r.rows[0]!.id;
}

export async function insertUser(db: Db, values: Insertable<UserTable>): Promise<UserRow> {
  return db.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Applies `patch`; answers how many rows changed (0: no such user). */
export async function updateUser(db: Db, id: number, patch: UserUpdate): Promise<number> {
  const r = await db.updateTable('users').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function updateUserReturning(db: Db, id: number, patch: UserUpdate): Promise<UserRow> {
  return db.updateTable('users').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteUserById(db: Db, id: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

/** A server admin other than `exceptId`, if any. */
export async function anyServerAdminExcept(db: Db, exceptId: number): Promise<{ id: number } | undefined> {
  return db.selectFrom('users').select('id').where('is_admin', '=', 1).where('id', '!=', exceptId).limit(1).executeTakeFirst();
}

export async function currentOrgOf(db: Db, userId: number): Promise<number> {
  return (await db.selectFrom('users').select('org_id').where('id', '=', userId).executeTakeFirstOrThrow()).org_id;
}

export async function timezoneOf(db: Db, userId: number): Promise<string | null> {
  return (await db.selectFrom('users').select('timezone').where('id', '=', userId).executeTakeFirstOrThrow()).timezone;
}

export type UserSort = 'login' | 'email' | 'name' | 'lastSeenAt' | 'created';
const USER_SORT: Record<UserSort, string> = {
  login: 'login',
  email: 'email',
  name: 'name',
  lastSeenAt: 'last_seen_at',
  created: 'created_at',
};

/** The columns a user listing shows (a 1,000-row page of whole rows costs twice as much). */
const LISTED = ['id', 'uid', 'login', 'email', 'name', 'is_admin', 'is_disabled', 'last_seen_at', 'created_at'] as const;
export type ListedUser = Pick<UserRow, (typeof LISTED)[number]>;

/** A position in the default user order (login, email, id). */
export type UserOrderKey = Pick<UserRow, 'login' | 'email' | 'id'>;

type PageQuery = { query?: string; limit: number; offset: number; sort: { key: UserSort; desc: boolean }[]; after?: UserOrderKey };

/**
 * How many rows a walk in login order may read: a trigram's rows for a fragment longer than its
 * counts reach (its matches unknown), or users_login_email_id with the LIKE when no trigram walk
 * serves (1-2 characters, or matches so rare among their trigram's users that sorting them reads
 * less). Matches can all lie late in the order ("ed9" is every login from seed9 on), and an
 * unbounded walk then reads most of the table. Past it the index's matches are sorted instead.
 */
const WALK_ENTRIES = 5000;

const isDefaultOrder = (sort: PageQuery['sort']) => sort.length === 2 && sort[0]!.key === 'login' && !sort[0]!.desc && sort[1]!.key === 'email' && !sort[1]!.desc;

/**
 * One page of the users whose login, email or name contains `query`, in `sort` order then id.
 * `after` (a position in the default order) starts the page after it, then `offset` rows are skipped.
 * How a search is served is in docs/search.md.
 */
export async function selectUserPage(db: Db, dialect: Dialect, q: PageQuery): Promise<ListedUser[]> {
  const text = q.query;
  if (!text) return pageOf(db, db.selectFrom('users'), q);
  // A fragment of at most 5 characters has its exact total at the cost of a key read: no match, or
  // a page past the last match, reads nothing more, and the total chooses how to read the page.
  // The counts of the query's trigrams come with it (the default order walks the rarest one's rows).
  const gram = gramOf(text);
  const trigrams = isDefaultOrder(q.sort) ? trigramsOf(text) : [];
  const asked = gram === undefined ? trigrams : [gram, ...trigrams];
  const counts = asked.length > 0 ? await countGrams(db, asked) : new Map<string, number>();
  const total = gram === undefined ? undefined : (counts.get(gram) ?? 0);
  if (total === 0 || (total !== undefined && !q.after && q.offset >= total)) return [];
  if (trigrams.length > 0) {
    const walked = rarest(trigrams, counts);
    if (walked.users === 0) return [];
    // The walk, unless sorting the matches themselves reads fewer rows (a long fragment's rare matches).
    const rows = rowsWalked(walked.users, total, q.offset + q.limit);
    if (total === undefined ? rows <= WALK_ENTRIES : rows <= total) {
      const bound = walkBound(rows);
      const walk = trigramWalk(db, dialect, walked.gram, text, { limit: q.limit, offset: q.offset, afterLogin: q.after?.login, bound });
      const page = await walk.select(LISTED.map((c) => `u.${c}` as const)).execute();
      // Complete when full, when the walk read all of the trigram's rows, or when it holds the last match.
      if (page.length === q.limit || walked.users <= bound || (total !== undefined && !q.after && q.offset + page.length >= total)) return page;
      // The matches sit later among the trigram's rows than an even spread would put them: sorted below.
    }
  }
  const like = db.selectFrom('users').where(likeAny('users', text));
  const sqlite = dialect === 'sqlite';
  if (sqlite && !indexable(text)) return pageOf(db, like, q);
  const sparse = total !== undefined ? total < DENSE_MATCHES : sqlite && !(await matchesAtLeast(db, 'users', text, DENSE_MATCHES));
  if (sqlite && sparse) return pageOf(db, db.selectFrom('users').where(inIndex('users', text)), q);
  if (!isDefaultOrder(q.sort)) return pageOf(db, like, q);
  // PostgreSQL, few matches of a fragment its trigram indexes look up: sorted from them at once.
  if (sparse && indexable(text)) return pageOf(db, like, q, true);
  // The last login of the bounded walk (none: the walk reaches the end of the table).
  const entries = Math.max(WALK_ENTRIES, 20 * (q.offset + q.limit));
  const edge = afterKey(db.selectFrom('users'), q.after)
    .select('login')
    .orderBy('login')
    .orderBy('email')
    .orderBy('id')
    .offset(entries - 1)
    .limit(1);
  const last = (await edge.executeTakeFirst())?.login;
  const page = await pageOf(db, last === undefined ? like : like.where('login', '<=', last), q);
  if (page.length === q.limit || last === undefined) return page;
  // The matches lie beyond the walk: all of them from the index, then sorted. On PostgreSQL the
  // planner would walk the login index again (its estimate of a LIKE's matches is no count), so
  // the sort key is an expression no index provides: the trigram indexes are then read instead.
  if (sqlite) return pageOf(db, db.selectFrom('users').where(inIndex('users', text)), q);
  return pageOf(db, like, q, true);
}

type UsersQuery = SelectQueryBuilder<Database, 'users', object>;

/** The rows after `after` in the default order. */
function afterKey(sel: UsersQuery, after: UserOrderKey | undefined): UsersQuery {
  if (!after) return sel;
  return sel.where(({ eb, refTuple, tuple }) => eb(refTuple('login', 'email', 'id'), '>', tuple(after.login, after.email, after.id)));
}

/** One page of `base` (a filter on users); `sortMatches`: the matches are sorted, not read in an index's order. */
async function pageOf(db: Db, base: UsersQuery, q: PageQuery, sortMatches = false): Promise<ListedUser[]> {
  // Deferred join: the page's ids first (for the default order an index-only walk of
  // users_login_email_id, migration 0005), then only those rows. A deep page then skips index
  // entries instead of table rows.
  let ids = afterKey(base, q.after).select('id');
  for (const s of q.sort) ids = ids.orderBy(sortMatches ? sql`${sql.ref(USER_SORT[s.key])} || ''` : sql.ref(USER_SORT[s.key]), s.desc ? 'desc' : 'asc');
  ids = ids.orderBy('id').limit(q.limit).offset(q.offset);
  let sel = db.selectFrom('users').select(LISTED).where('id', 'in', ids);
  for (const s of q.sort) sel = sel.orderBy(sql.ref(USER_SORT[s.key]), s.desc ? 'desc' : 'asc');
  return sel.orderBy('id').execute();
}

/**
 * How many users match `query`: at most 5 characters (or none), the gram count of migration 0021;
 * longer, on SQLite counted in the FTS5 index, on PostgreSQL by the LIKE (its trigram indexes).
 */
export async function countMatchingUsers(db: Db, dialect: Dialect, query: string | undefined): Promise<number> {
  const gram = gramOf(query);
  if (gram !== undefined || !query) return countGram(db, gram ?? '');
  if (dialect === 'sqlite') return countIndexed(db, 'users', query);
  const sel = db.selectFrom('users').where(likeAny('users', query));
  return Number((await sel.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** Records when a user was last seen. */
export async function stampUserSeen(db: Db, id: number, ts: string): Promise<void> {
  await db.updateTable('users').set({ last_seen_at: ts }).where('id', '=', id).execute();
}

/** Another user signs in with this address (as login or email). */
export async function addressTakenByOther(db: Db, userId: number, address: string): Promise<boolean> {
  const other = await db
    .selectFrom('users')
    .select('id')
    .where('id', '!=', userId)
    .where((eb) => eb.or([eb('login', '=', address), eb('email', '=', address)]))
    .executeTakeFirst();
  return !!other;
}

/** Sets bits of the user's helpFlags1 (`bits` 0 clears nothing; `clear` empties it first). Answers the new mask, undefined for no such user. */
export async function mergeHelpFlags(db: Db, id: number, bits: number, clear: boolean, ts: string): Promise<number | undefined> {
  const value = clear ? sql<number>`cast(${bits} as integer)` : sql<number>`help_flags1 | cast(${bits} as integer)`;
  const row = await db.updateTable('users').set({ help_flags1: value, updated_at: ts }).where('id', '=', id).returning('help_flags1').executeTakeFirst();
  return row ? Number(row.help_flags1) : undefined;
}
