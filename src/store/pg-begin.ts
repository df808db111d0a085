// PostgreSQL: a transaction's BEGIN travels with its first statement.
//
// Kysely sends BEGIN as a query of its own and waits for its answer: one round trip more per
// transaction, and a write here makes six to eight (bench write mix: each costs the event loop a
// socket write and a turn while a backend wakes). The BEGIN is held back instead and sent with
// the transaction's first statement as one simple-protocol query, "begin; <statement>", when that
// statement can go without bound parameters: it has none, or only integers (the org or user id
// a transaction usually starts by locking), which are written into the text. Anything else goes
// after a BEGIN of its own, as before.
import type pg from 'pg';

export type Query = (text: string, values: unknown[]) => Promise<pg.QueryResult>;

const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback)\s*$/i;
/** Result of a statement that was never sent. */
const nothingSent = (command: string): pg.QueryResult => ({ command, rowCount: null, oid: 0, rows: [], fields: [] });

/**
 * The statement with its parameters written in, when that is safe: integers only, and no quoted
 * string in the text (so every `$n` in it is a placeholder, never part of a literal). Each is
 * written as a quoted literal, which PostgreSQL types from its context as it types a parameter
 * `pg` sends (as text, of no declared type): `id = '5'` compares integers, `login = '5'` text.
 */
function inlined(text: string, values: unknown[]): string | undefined {
  if (values.length === 0) return text;
  if (text.includes("'") || !values.every((v) => typeof v === 'number' && Number.isSafeInteger(v))) return undefined;
  let complete = true;
  const written = text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = values[Number(n) - 1];
    if (v === undefined) complete = false;
    return `'${v}'`;
  });
  return complete ? written : undefined;
}

/** Wraps one connection's `query` (a pooled client is used by one caller at a time). */
export function beginWithFirstStatement(query: Query): Query {
  let heldBegin: string | undefined;
  return async (text, values) => {
    if (heldBegin === undefined) {
      if (BEGIN.test(text) && values.length === 0) {
        heldBegin = text;
        return nothingSent('BEGIN');
      }
      return query(text, values);
    }
    const begin = heldBegin;
    heldBegin = undefined;
    // A transaction that ran no statement: nothing to commit or roll back on the server.
    if (END.test(text) && values.length === 0) return nothingSent(text.trim().toUpperCase());
    const statement = inlined(text, values);
    if (statement === undefined) {
      await query(begin, []);
      return query(text, values);
    }
    // Two statements in one simple query answer one result each; the caller asked for the second.
    const results = (await query(`${begin};\n${statement}`, [])) as unknown as pg.QueryResult[];
    return results[results.length - 1]!;
  };
}
