// The case-insensitive "contains" filter of the searches (users, org members, teams, service
// accounts), served by an index where one can serve it (docs/search.md). The meaning is the one
// of `lower(col) like '%text%'` with `text` lower-cased and taken literally, on both databases:
// - PostgreSQL: exactly that; pg_trgm GIN indexes on lower(col) serve it (migrations 0005, 0008).
// - SQLite: a phrase query on the table's contentless FTS5 trigram index over the lower-cased
//   columns (migration 0008), which finds the same rows. A trigram index cannot serve a
//   fragment shorter than 3 characters: those, and fragments so common that the index would
//   hand over most of the table, are served by the LIKE itself over the rows the rest of the
//   query reads (for a common fragment a page fills after a few rows).
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, Dialect } from './db.ts';
import { likePattern } from './text-match.ts';

/** Each searched table and its searched columns, as indexed by migration 0008. */
export const SEARCHED = {
  users: ['login', 'email', 'name'],
  teams: ['name'],
  service_accounts: ['name', 'login'],
} as const;
export type SearchedTable = keyof typeof SEARCHED;

/** The shortest fragment a trigram index can look up. */
export const MIN_INDEXED_LENGTH = 3;

/**
 * Above this many matching rows the index is not used for a filter (the LIKE over the rows the
 * query walks anyway is cheaper): a page of 50 in an order then reads about 50 * rows / matches
 * rows, at most a few thousand at 100 k rows, where the index path sorts every match.
 */
export const DENSE_MATCHES = 2000;

/** `text` as an FTS5 phrase: double quotes doubled, everything else literal. */
export function ftsPhrase(text: string): string {
  return `"${text.toLowerCase().replace(/"/g, '""')}"`;
}

/** Whether a trigram index can look `text` up (its length in characters once lower-cased). */
export function indexable(text: string): boolean {
  return [...text.toLowerCase()].length >= MIN_INDEXED_LENGTH;
}

/** `lower(col) like '%text%'` for any of `columns` (qualified by `table`). */
export function likeAny(table: SearchedTable, text: string, alias: string = table): Expression<SqlBool> {
  const pat = likePattern(text, 'contains');
  return sql<SqlBool>`(${sql.join(
    SEARCHED[table].map((c) => sql`lower(${sql.ref(`${alias}.${c}`)}) like ${pat} escape '\\'`),
    sql` or `,
  )})`;
}

/** The ids of `table`'s rows matching `text` through its FTS5 index (SQLite, indexable text). */
function ftsIds(table: SearchedTable, text: string) {
  const fts = sql.table(`${table}_search`);
  return sql`select rowid from ${fts} where ${fts} match ${ftsPhrase(text)}`;
}

/** The rows of `table` (as `alias`) the FTS5 index finds for `text` (SQLite, indexable text). */
export function inIndex(table: SearchedTable, text: string, alias: string = table): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(`${alias}.id`)} in (${ftsIds(table, text)})`;
}

/** Whether the FTS5 index finds at least `bound` rows of `table` for `text` (reads at most that many). */
export async function matchesAtLeast(db: Db, table: SearchedTable, text: string, bound: number): Promise<boolean> {
  const probe = await sql<{ n: number }>`select count(*) as n from (${ftsIds(table, text)} limit ${bound})`.execute(db);
  return Number(probe.rows[0]!.n) >= bound;
}

/**
 * The filter for the rows of `table` (as `alias`, id column `id`) whose searched columns contain
 * `text`. SQLite asks the index first how many rows match, up to a bound: fewer, and the filter is
 * the index's ids; as many, and it is the LIKE over the rows the query reads anyway. The bound is
 * DENSE_MATCHES, or `within` when the rest of the query reads at most that many rows (an org's
 * members): LIKE over those is then no dearer than the index.
 */
export async function containsFilter(db: Db, dialect: Dialect, table: SearchedTable, text: string, opts: { alias?: string; within?: number } = {}): Promise<Expression<SqlBool>> {
  const alias = opts.alias ?? table;
  if (dialect === 'postgres' || !indexable(text)) return likeAny(table, text, alias);
  const bound = Math.min(DENSE_MATCHES, opts.within ?? DENSE_MATCHES);
  return (await matchesAtLeast(db, table, text, bound)) ? likeAny(table, text, alias) : inIndex(table, text, alias);
}

/** How many rows of `table` contain `text`, counted from the FTS5 index (SQLite, indexable text). */
export async function countIndexed(db: Db, table: SearchedTable, text: string): Promise<number> {
  const fts = sql.table(`${table}_search`);
  const r = await sql<{ n: number }>`select count(*) as n from ${fts} where ${fts} match ${ftsPhrase(text)}`.execute(db);
  return Number(r.rows[0]!.n);
}

/**
 * PostgreSQL: whether every searched column has its pg_trgm index (none when the extension could
 * not be created; the searches then scan). SQLite's FTS5 tables come with every build.
 */
export async function searchIndexesPresent(db: Db, dialect: Dialect): Promise<boolean> {
  if (dialect === 'sqlite') return true;
  const names = Object.entries(SEARCHED).flatMap(([table, cols]) => cols.map((c) => `${table}_${c}_trgm`));
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where schemaname = current_schema() and indexname in (${sql.join(names)})`.execute(db);
  return r.rows[0]!.n === names.length;
}
