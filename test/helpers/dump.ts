// A canonical dump of every table, to show a request changed nothing. Columns that reads
// legitimately touch (last use of a token, last sight of a user) are left out.
import { sql, type Kysely } from 'kysely';

// An event's feed position (`seq`) is given after its commit, by whichever process or feed read
// numbers it first (store/events.ts): bookkeeping, not a change a request made.
const VOLATILE = new Set(['last_used_at', 'last_seen_at', 'seq']);

// The user-search counts (migration 0021) are dumped as what they count: on PostgreSQL a
// background fold moves the deltas into the counts at any time, changing rows, not totals.
const GRAM_TABLES = new Set(['user_grams', 'user_gram_deltas']);
const GRAM_TOTALS = 'user_grams (totals)';
const gramTotals = sql<Record<string, unknown>>`select gram, sum(n) as n from (
  select gram, n from user_grams union all select gram, d as n from user_gram_deltas) t
  group by gram having sum(n) <> 0`;

export async function dumpTables(db: Kysely<any>): Promise<string> {
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
    .execute(db)
    .then((r) => r.rows.map((x) => x.name))
    .catch(async () =>
      (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)).rows.map((x) => x.name),
    );
  const out: Record<string, string[]> = {};
  const names = tables.filter((name) => !GRAM_TABLES.has(name));
  if (names.length < tables.length) names.push(GRAM_TOTALS);
  for (const table of names.sort()) {
    const read = table === GRAM_TOTALS ? gramTotals : sql<Record<string, unknown>>`select * from ${sql.table(table)}`;
    const rows = (await read.execute(db)).rows.map((row) => (table === GRAM_TOTALS ? { ...row, n: Number(row.n) } : row));
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
