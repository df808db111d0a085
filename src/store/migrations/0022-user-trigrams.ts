// The login order of the users containing each trigram (docs/search.md): one row per user and
// distinct 3-character fragment of lower(login), lower(email) or lower(name), keyed by the trigram,
// then the login. A search walks the rows of its rarest trigram in login order and keeps the users
// the LIKE matches: a page of a fragment with thousands of matches then reads about a page of rows,
// where the trigram indexes of migrations 0005 and 0008 hand over every match to be sorted.
// The login is unique, so within a trigram it is the default user order (login, email, id).
// Kept exact in every write's own transaction by triggers on users, as the counts of 0021 are:
// - SQLite: row triggers (an insert skips while `user_grams_paused` holds a row: the bulk load adds
//   its rows itself, store/user-grams.ts);
// - PostgreSQL: statement triggers for inserts and deletes, a row trigger for updates; no row is
//   shared between two users, so concurrent writes do not wait on each other here.
// An update of login, email or name replaces the user's rows. Filled here from the existing users.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { createUsersSearchTriggers, type MigrationContext } from './helpers.ts';
import { sqliteOccurrences } from './0021-user-grams.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const sqlite = ctx.dialect === 'sqlite';
  await sql`create table user_trigrams (gram text not null, login text not null, id integer not null, primary key (gram, login, id))${sql.raw(sqlite ? ' without rowid' : '')}`.execute(db);
  if (sqlite) await sqliteTriggers(db);
  else await postgresTriggers(db);
}

/** SQLite: the distinct trigrams of the users row `r` (`new`, `old`, or a table alias) as `gram`, enumerated as 0021 enumerates its grams. */
function sqliteTrigrams(r: string): RawBuilder<unknown> {
  const o = sqliteOccurrences(r, [3]);
  return sql`select distinct ${o.gram} as gram from ${o.from} where ${o.where}`;
}

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  const live = sql`not exists (select 1 from user_grams_paused)`;
  const add = (r: 'new') => sql`insert into user_trigrams (gram, login, id) select gram, ${sql.raw(r)}.login, ${sql.raw(r)}.id from (${sqliteTrigrams(r)});`;
  const remove = (r: 'old') => sql`delete from user_trigrams where login = ${sql.raw(r)}.login and id = ${sql.raw(r)}.id and gram in (${sqliteTrigrams(r)});`;
  await sql`create trigger user_trigrams_ai after insert on users when ${live} begin ${add('new')} end`.execute(db);
  await sql`create trigger user_trigrams_ad after delete on users begin ${remove('old')} end`.execute(db);
  await sql`create trigger user_trigrams_au after update of login, email, name on users
    when old.login is not new.login or old.email is not new.email or old.name is not new.name begin
    ${remove('old')}
    ${add('new')}
  end`.execute(db);
  await fillSqliteTrigrams(db, sql`true`);
}

/** SQLite: adds the rows of the users `which` selects (a condition on alias `u`), in key order (a B-tree fills fastest so). */
export async function fillSqliteTrigrams(db: Kysely<any>, which: RawBuilder<unknown>): Promise<void> {
  const o = sqliteOccurrences('u', [3]);
  await sql`insert into user_trigrams (gram, login, id)
    select distinct ${o.gram}, u.login, u.id from users u, ${o.from} where ${which} and ${o.where} order by 1, 2, 3`.execute(db);
}

/** PostgreSQL: `user_trigrams_of(l, e, n)` is the distinct trigrams of three lower-cased values (lower() applied by the callers, as in 0021). */
async function postgresTriggers(db: Kysely<any>): Promise<void> {
  await sql`create function user_trigrams_of(text, text, text) returns setof text language sql immutable parallel safe as $$
    select distinct substr(v, i, 3) from unnest(array[$1, $2, $3]) v, generate_series(1, length(v) - 2) i
  $$`.execute(db);
  const trigramsOf = (r: string) => sql`user_trigrams_of(lower(${sql.raw(r)}.login), lower(${sql.raw(r)}.email), lower(${sql.raw(r)}.name))`;
  // `jit = off`: as in 0021, the planner's guess of a value's length would JIT-compile each statement.
  await sql`create function user_trigrams_added() returns trigger language plpgsql set jit = off as $$ begin
    insert into user_trigrams (gram, login, id) select g, a.login, a.id from added a, ${trigramsOf('a')} g;
    return null;
  end $$`.execute(db);
  await sql`create function user_trigrams_removed() returns trigger language plpgsql set jit = off as $$ begin
    delete from user_trigrams t using removed r, ${trigramsOf('r')} g where t.gram = g and t.login = r.login and t.id = r.id;
    return null;
  end $$`.execute(db);
  await sql`create function user_trigrams_changed() returns trigger language plpgsql set jit = off as $$ begin
    delete from user_trigrams t where t.login = old.login and t.id = old.id and t.gram in (select ${trigramsOf('old')});
    insert into user_trigrams (gram, login, id) select g, new.login, new.id from ${trigramsOf('new')} g;
    return null;
  end $$`.execute(db);
  await sql`create function user_trigrams_truncated() returns trigger language plpgsql as $$ begin
    delete from user_trigrams;
    return null;
  end $$`.execute(db);
  await createUsersSearchTriggers(db, 'user_trigrams');
  await sql`insert into user_trigrams (gram, login, id) select g, u.login, u.id from users u, ${trigramsOf('u')} g order by 1, 2, 3`.execute(db);
}
