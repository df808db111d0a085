// Exact totals of user searches (docs/search.md): for every text fragment ("gram") of 1 to 5
// characters, how many users contain it in lower(login), lower(email) or lower(name), as the search
// compares; a user counts once per gram, and the empty gram counts every user. Grams never span two
// columns. The total is `n` of the gram's `user_grams` row plus its rows in `user_gram_deltas`.
// - SQLite (one writer at a time): triggers add to and subtract from `user_grams` directly;
//   `user_gram_deltas` stays empty. A trigger cannot use WITH, so the positions of a value are
//   enumerated with json_each over an array as long as the value, whatever its length.
// - PostgreSQL: the triggers only append +n/-n rows to `user_gram_deltas`, taking no row lock, so
//   concurrent user creations do not queue (or deadlock) on the hot grams ("@", ".com"); the
//   background fold (app/gram-folder.ts) moves them into `user_grams` in one statement. Inserts and
//   deletes are statement triggers (one delta row per gram per statement, so a bulk insert of
//   1,000 users appends a few thousand rows, not 130,000).
// Both: the update trigger fires only when login, email or name changes, and moves only the grams
// that changed. Filled here from the existing users in one statement.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { createUsersSearchTriggers, type MigrationContext } from './helpers.ts';

/** The longest gram counted (store/user-grams.ts reads the same bound). */
const LONGEST = 5;

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await sql`create table user_grams (gram text primary key, n integer not null)${sql.raw(ctx.dialect === 'sqlite' ? ' without rowid' : '')}`.execute(db);
  await sql`create table user_gram_deltas (gram text not null, d integer not null)`.execute(db);
  await sql`create index user_gram_deltas_gram on user_gram_deltas (gram)`.execute(db);
  if (ctx.dialect === 'sqlite') await sqliteTriggers(db);
  else await postgresTriggers(db);
}

/**
 * SQLite: the grams of the users row `r` (`new`, `old`, or a table alias), one row per occurrence:
 * the select list, FROM items and WHERE of that read. `v` is each column's lower-cased value, `p`
 * an array of length(value) zeros whose keys are the value's 0-based positions, `k` the lengths
 * (1 to LONGEST unless given).
 */
export function sqliteOccurrences(r: string, gramLengths: readonly number[] = Array.from({ length: LONGEST }, (_, i) => i + 1)) {
  const lengths = JSON.stringify(gramLengths);
  const col = (c: string) => sql`lower(${sql.raw(r)}.${sql.id(c)})`;
  return {
    gram: sql`substr(v.value, p.key + 1, k.value)`,
    from: sql`json_each(json_array(${col('login')}, ${col('email')}, ${col('name')})) v,
      json_each('[' || rtrim(replace(hex(zeroblob(length(v.value))), '00', '0,'), ',') || ']') p,
      json_each(${sql.lit(lengths)}) k`,
    where: sql`p.key + k.value <= length(v.value)`,
  };
}

/** SQLite: the distinct grams of the users row `r` (`new` or `old`) as `gram`, the empty gram included. */
function sqliteGrams(r: 'new' | 'old'): RawBuilder<unknown> {
  const o = sqliteOccurrences(r);
  return sql`select ${o.gram} as gram from ${o.from} where ${o.where} union select ''`;
}

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  // A bulk load (store/bulk-insert.ts) counts its rows itself, in the same transaction, with a row
  // in `user_grams_paused` meanwhile: the triggers skip while it is there.
  await sql`create table user_grams_paused (id integer primary key)`.execute(db);
  const live = sql`not exists (select 1 from user_grams_paused)`;
  // `where true`: an upsert's SELECT needs a WHERE clause for the parser to tell ON CONFLICT from a join.
  const add = (grams: RawBuilder<unknown>) => sql`insert into user_grams (gram, n) select gram, 1 from (${grams}) where true on conflict (gram) do update set n = n + 1;`;
  const subtract = (grams: RawBuilder<unknown>) => sql`update user_grams set n = n - 1 where gram in (${grams});`;
  await sql`create trigger user_grams_ai after insert on users when ${live} begin ${add(sqliteGrams('new'))} end`.execute(db);
  await sql`create trigger user_grams_ad after delete on users begin ${subtract(sqliteGrams('old'))} end`.execute(db);
  await sql`create trigger user_grams_au after update of login, email, name on users
    when old.login is not new.login or old.email is not new.email or old.name is not new.name begin
    ${subtract(sql`select gram from (${sqliteGrams('old')}) except select gram from (${sqliteGrams('new')})`)}
    ${add(sql`select gram from (${sqliteGrams('new')}) except select gram from (${sqliteGrams('old')})`)}
  end`.execute(db);
  const o = sqliteOccurrences('u');
  await sql`insert into user_grams (gram, n)
    select gram, count(*) from (select distinct u.id, ${o.gram} as gram from users u, ${o.from} where ${o.where}) group by gram
    union all select '', count(*) from users`.execute(db);
}

/**
 * PostgreSQL: `user_grams_of(l, e, n)` is the distinct grams of three lower-cased values, the empty
 * gram included. `lower()` is applied by the callers, on the columns, so it follows the columns'
 * collation exactly as the search's `lower(col)` does.
 */
async function postgresTriggers(db: Kysely<any>): Promise<void> {
  // `jit = off` in the trigger functions: the planner cannot know a value's length (it assumes
  // 1,000 positions per value), and that estimate made it JIT-compile every trigger's statement
  // (100 ms per user insert).
  await sql`create function user_grams_of(text, text, text) returns setof text language sql immutable parallel safe as $$
    select substr(v, i, k) from unnest(array[$1, $2, $3]) v, generate_series(1, length(v)) i, generate_series(1, least(${sql.lit(LONGEST)}, length(v) - i + 1)) k
    union select ''
  $$`.execute(db);
  const gramsOf = (r: string) => sql`user_grams_of(lower(${sql.raw(r)}.login), lower(${sql.raw(r)}.email), lower(${sql.raw(r)}.name))`;
  await sql`create function user_grams_added() returns trigger language plpgsql set jit = off as $$ begin
    insert into user_gram_deltas (gram, d) select g, count(*) from added, ${gramsOf('added')} g group by g;
    return null;
  end $$`.execute(db);
  await sql`create function user_grams_removed() returns trigger language plpgsql set jit = off as $$ begin
    insert into user_gram_deltas (gram, d) select g, -count(*) from removed, ${gramsOf('removed')} g group by g;
    return null;
  end $$`.execute(db);
  await sql`create function user_grams_changed() returns trigger language plpgsql set jit = off as $$ begin
    insert into user_gram_deltas (gram, d)
      select g, -1 from (select * from ${gramsOf('old')} except select * from ${gramsOf('new')}) gone(g)
      union all
      select g, 1 from (select * from ${gramsOf('new')} except select * from ${gramsOf('old')}) came(g);
    return null;
  end $$`.execute(db);
  // TRUNCATE fires no delete trigger: it empties the counts with the table.
  await sql`create function user_grams_truncated() returns trigger language plpgsql as $$ begin
    delete from user_grams;
    delete from user_gram_deltas;
    return null;
  end $$`.execute(db);
  await createUsersSearchTriggers(db, 'user_grams');
  await sql`insert into user_grams (gram, n) select g, count(*) from users u, ${gramsOf('u')} g group by g`.execute(db);
}
