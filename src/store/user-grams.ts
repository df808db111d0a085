// How many users contain a text fragment of at most 5 characters, read from the counts that the
// triggers of migration 0021 keep exact in every write's own transaction (docs/search.md).
import { sql } from 'kysely';
import type { Db, Dialect } from './db.ts';
import { fillSqliteTrigrams } from './migrations/0022-user-trigrams.ts';

/** The longest fragment counted, in characters once lower-cased (migration 0021's bound). */
export const LONGEST_GRAM = 5;

/**
 * The gram that counts the users matching `query` (the query lower-cased, as the search compares
 * it; '' for no query: every user), or undefined when the query is longer than any counted gram.
 */
export function gramOf(query: string | undefined): string | undefined {
  const gram = (query ?? '').toLowerCase();
  return [...gram].length <= LONGEST_GRAM ? gram : undefined;
}

/**
 * The users containing `gram`: its folded count plus the deltas not yet folded (PostgreSQL; none on
 * SQLite), in one statement and so from one snapshot: a primary-key read and an index read.
 */
export function gramCountQuery(gram: string) {
  return sql<{ n: number | string }>`select coalesce(sum(n), 0) as n from (
    select n from user_grams where gram = ${gram}
    union all
    select d as n from user_gram_deltas where gram = ${gram}) t`;
}

export async function countGram(db: Db, gram: string): Promise<number> {
  return Number((await gramCountQuery(gram).execute(db)).rows[0]!.n);
}

/** The users containing each of `grams` (as countGram, for several grams in one statement); a gram no user contains is left out. */
export async function countGrams(db: Db, grams: readonly string[]): Promise<Map<string, number>> {
  const list = sql.join([...new Set(grams)]);
  const r = await sql<{ gram: string; n: number | string }>`select gram, sum(n) as n from (
    select gram, n from user_grams where gram in (${list})
    union all
    select gram, d as n from user_gram_deltas where gram in (${list})) t group by gram`.execute(db);
  return new Map(r.rows.map((row) => [row.gram, Number(row.n)]));
}

/**
 * PostgreSQL: moves the deltas into the folded counts, in one statement (so a count sees either
 * all of a fold or none of it). Deltas appended meanwhile stay for the next fold. Two folds at
 * once are safe: the second skips the delta rows the first deleted, and both update the counts
 * in gram order. Answers how many delta rows were folded.
 */
export async function foldGramDeltas(db: Db): Promise<number> {
  const r = await sql<{ rows: number }>`with moved as (delete from user_gram_deltas returning gram, d),
    folded as (
      insert into user_grams (gram, n) select gram, sum(d) from moved group by gram order by gram
      on conflict (gram) do update set n = user_grams.n + excluded.n
      returning 1)
    select (select count(*) from moved)::int as rows`.execute(db);
  return r.rows[0]!.rows;
}

/**
 * Runs `insert`, which inserts `count` users with the ids first..first + count - 1 (then no other
 * user has an id in that range), with their grams counted, and their trigrams' rows (migration
 * 0022) added, by one aggregated statement each instead of a trigger run per row: on SQLite a
 * trigger's upserts per user made a 1 M-user seed's users phase several times longer. In the
 * caller's transaction, so the counts stay exact. PostgreSQL's statement triggers aggregate
 * already: there `insert` only.
 */
export async function insertCountingGrams(db: Db, dialect: Dialect, first: number, count: number, insert: () => Promise<unknown>): Promise<void> {
  const last = first + count - 1;
  if (dialect !== 'sqlite') {
    await insert();
    return;
  }
  await sql`insert into user_grams_paused (id) values (1)`.execute(db);
  await insert();
  await sql`delete from user_grams_paused`.execute(db);
  // The grams as migration 0021's triggers enumerate them (json_each over an array as long as the
  // value gives its positions), aggregated over the rows.
  const lengths = JSON.stringify(Array.from({ length: LONGEST_GRAM }, (_, i) => i + 1));
  await sql`with occurrences as (
        select distinct u.id, substr(v.value, p.key + 1, k.value) as gram
        from users u, json_each(json_array(lower(u.login), lower(u.email), lower(u.name))) v,
          json_each('[' || rtrim(replace(hex(zeroblob(length(v.value))), '00', '0,'), ',') || ']') p,
          json_each(${sql.lit(lengths)}) k
        where u.id between ${first} and ${last} and p.key + k.value <= length(v.value)
        union all select id, '' from users where id between ${first} and ${last})
    insert into user_grams (gram, n) select gram, count(*) from occurrences where true group by gram
    on conflict (gram) do update set n = n + excluded.n`.execute(db);
  await fillSqliteTrigrams(db, sql`u.id between ${first} and ${last}`);
}
