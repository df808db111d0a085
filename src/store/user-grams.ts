// How many users contain a text fragment of at most 5 characters, read from the counts that the
// triggers of migration 0021 keep exact in every write's own transaction (docs/search.md).
import DataLoader from 'dataloader';
import { sql } from 'kysely';
import type { Db, Dialect } from './db.ts';
import { sqliteOccurrences } from './migrations/0021-user-grams.ts';
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
 * How many users contain each of `grams`: a gram's folded count plus the deltas not yet folded
 * (PostgreSQL; none on SQLite), in one statement and so from one snapshot: primary-key and index
 * reads. A gram no user contains has no row.
 */
export function gramCountsQuery(grams: readonly string[]) {
  const list = sql.join([...new Set(grams)]);
  return sql<{ gram: string; n: number | string }>`select gram, sum(n) as n from (
    select gram, n from user_grams where gram in (${list})
    union all
    select gram, d as n from user_gram_deltas where gram in (${list})) t group by gram`;
}

/**
 * Gram counts asked for on the same database in the same turn of the event loop are read by one
 * statement: a user search asks for its total and, at the same time, for its page's counts
 * (api/grafana/users.ts), and on PostgreSQL each statement costs a socket write to the server and
 * its wake-up, more than the key read itself (BENCHMARKS.md). One read is one snapshot, so counts
 * read together are consistent with each other.
 */
const countReaders = new WeakMap<Db, DataLoader<string, number>>();

function countReaderOf(db: Db): DataLoader<string, number> {
  let reader = countReaders.get(db);
  if (!reader) {
    reader = new DataLoader(
      async (grams) => {
        const r = await gramCountsQuery(grams).execute(db);
        const counts = new Map(r.rows.map((row) => [row.gram, Number(row.n)]));
        return grams.map((gram) => counts.get(gram) ?? 0);
      },
      // No memo: every read goes to the database, only the statement is shared.
      { cache: false, maxBatchSize: 200 },
    );
    countReaders.set(db, reader);
  }
  return reader;
}

export async function countGrams(db: Db, grams: readonly string[]): Promise<Map<string, number>> {
  const reader = countReaderOf(db);
  const counts = await Promise.all(grams.map((gram) => reader.load(gram)));
  return new Map(grams.map((gram, i) => [gram, counts[i]!]));
}

/** How many users contain `gram`. */
export async function countGram(db: Db, gram: string): Promise<number> {
  return countReaderOf(db).load(gram);
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
  // The grams as migration 0021's triggers enumerate them, aggregated over the rows.
  const o = sqliteOccurrences('u');
  await sql`with occurrences as (
        select distinct u.id, ${o.gram} as gram from users u, ${o.from}
        where u.id between ${first} and ${last} and ${o.where}
        union all select id, '' from users where id between ${first} and ${last})
    insert into user_grams (gram, n) select gram, count(*) from occurrences where true group by gram
    on conflict (gram) do update set n = n + excluded.n`.execute(db);
  await fillSqliteTrigrams(db, sql`u.id between ${first} and ${last}`);
}
