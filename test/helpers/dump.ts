// A canonical dump of every table, to show a request changed nothing. Columns that reads
// legitimately touch (last use of a token, last sight of a user) are left out.
import { sql, type Kysely } from 'kysely';

// An event's feed position (`seq`) is given after its commit, by whichever process or feed read
// numbers it first (store/events.ts): bookkeeping, not a change a request made.
const VOLATILE = new Set(['last_used_at', 'last_seen_at', 'seq']);

export async function dumpTables(db: Kysely<any>): Promise<string> {
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
    .execute(db)
    .then((r) => r.rows.map((x) => x.name))
    .catch(async () =>
      (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)).rows.map((x) => x.name),
    );
  const out: Record<string, string[]> = {};
  for (const table of tables.sort()) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
    out[table] = rows
      .map((row) =>
        JSON.stringify(
          Object.keys(row)
            .sort()
            .filter((k) => !VOLATILE.has(k))
            .map((k) => [k, row[k] instanceof Date ? (row[k] as Date).toISOString() : row[k]]),
        ),
      )
      .sort();
  }
  return JSON.stringify(out);
}
