// Indexes for the case-insensitive "contains" searches (docs/search.md): users by login, email or
// name, teams by name, service accounts by name or login.
// - SQLite: one contentless FTS5 table per searched table (same rowid as the row), trigram
//   tokenizer over the lower-cased columns, kept in sync by triggers and filled here from the
//   existing rows.
// - PostgreSQL: pg_trgm GIN indexes on lower(column) for the columns 0005 did not cover (users
//   has them since 0005). When the extension cannot be created (not installed, or the role may
//   not create it) the migration still succeeds and the searches scan; the server says so at
//   start (store/search-index.ts).
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './helpers.ts';

/** Searched table -> its searched columns. */
const SEARCHED: Record<string, string[]> = {
  users: ['login', 'email', 'name'],
  teams: ['name'],
  service_accounts: ['name', 'login'],
};

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'sqlite') {
    for (const [table, cols] of Object.entries(SEARCHED)) await sqliteIndex(db, table, cols);
  } else {
    await postgresIndexes(db);
  }
}

async function sqliteIndex(db: Kysely<any>, table: string, cols: string[]): Promise<void> {
  const fts = sql.id(`${table}_search`);
  const list = sql.join(cols.map((c) => sql.id(c)));
  const lowered = (row: 'new' | 'old' | null) => sql.join(cols.map((c) => (row ? sql`lower(${sql.raw(row)}.${sql.id(c)})` : sql`lower(${sql.id(c)})`)));
  // Contentless (the rows stay in their table; the FTS table holds only the index) and
  // case-sensitive over SQLite's lower(): a phrase then matches exactly what
  // `lower(col) like '%q%'` matched before, non-ASCII letters included (lower() folds ASCII only).
  await sql`create virtual table ${fts} using fts5(${list}, content='', contentless_delete=1, tokenize='trigram case_sensitive 1')`.execute(db);
  await sql`create trigger ${sql.id(`${table}_search_ai`)} after insert on ${sql.table(table)} begin
    insert into ${fts} (rowid, ${list}) values (new.id, ${lowered('new')});
  end`.execute(db);
  await sql`create trigger ${sql.id(`${table}_search_ad`)} after delete on ${sql.table(table)} begin
    delete from ${fts} where rowid = old.id;
  end`.execute(db);
  await sql`create trigger ${sql.id(`${table}_search_au`)} after update of ${list} on ${sql.table(table)} begin
    delete from ${fts} where rowid = old.id;
    insert into ${fts} (rowid, ${list}) values (new.id, ${lowered('new')});
  end`.execute(db);
  await sql`insert into ${fts} (rowid, ${list}) select id, ${lowered(null)} from ${sql.table(table)}`.execute(db);
}

async function postgresIndexes(db: Kysely<any>): Promise<void> {
  // A savepoint: a failed CREATE EXTENSION would otherwise abort the migration's transaction.
  await sql`savepoint pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`release savepoint pg_trgm`.execute(db);
  } catch {
    await sql`rollback to savepoint pg_trgm`.execute(db);
    return;
  }
  for (const [table, cols] of Object.entries(SEARCHED)) {
    for (const col of cols) {
      await sql`create index if not exists ${sql.id(`${table}_${col}_trgm`)} on ${sql.table(table)} using gin (lower(${sql.ref(col)}) gin_trgm_ops)`.execute(db);
    }
  }
}
