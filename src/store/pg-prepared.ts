// PostgreSQL named prepared statements for Kysely's queries.
//
// Kysely sends every query unnamed, so PostgreSQL parses and plans its SQL text anew each time:
// on the write mix that was a third of the server's work (bench write mix: 580 writes/s
// unnamed, 860 named). The texts repeat (Kysely builds the same SQL for the same call
// site), so each distinct text gets a name; `pg` parses a name once per connection and then only
// binds and executes it.
//
// Bounded: only the first MAX_NAMED distinct texts are named (hot statements come first; a text
// with a variable number of placeholders, such as a bulk insert, would otherwise grow every
// connection's statements without end); the rest run unnamed as before. Only plain DML and
// SELECT are named, never DDL or transaction control.
//
// A schema change made while this process runs (a newer process migrating) can make a prepared
// `select *` fail with "cached plan must not change result type": that text then runs unnamed
// from the next query on. ROSTER_DB_PREPARED_STATEMENTS=false turns naming off, for a
// transaction-mode connection pooler that cannot keep a session's prepared statements.
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

const MAX_NAMED = 500;
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;
/** SQLSTATE 0A000 with this message: a prepared statement's result columns changed. */
const RESULT_TYPE_CHANGED = 'cached plan must not change result type';

export function preparedStatementPool(pool: pg.Pool): PostgresPool {
  /** SQL text -> its statement name, or null: no longer named (see RESULT_TYPE_CHANGED). */
  const names = new Map<string, string | null>();
  const nameOf = (text: string): string | null => {
    const name = names.get(text);
    if (name !== undefined) return name;
    // Texts past the bound are not remembered either: the map stays as small as the names.
    if (names.size >= MAX_NAMED || !NAMEABLE.test(text)) return null;
    const fresh = `roster_${names.size}`;
    names.set(text, fresh);
    return fresh;
  };

  // One wrapper per pooled client, so Kysely (which keys its connections by client) reuses them.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let w = wrappers.get(client);
    if (!w) {
      w = {
        async query(text: string, values: unknown[]) {
          const name = nameOf(text);
          if (!name) return client.query(text, values);
          try {
            return await client.query({ name, text, values });
          } catch (err) {
            if ((err as { code?: string }).code === '0A000' && String((err as Error).message).includes(RESULT_TYPE_CHANGED)) {
              names.set(text, null);
            }
            throw err;
          }
        },
        release: () => client.release(),
      } as unknown as PostgresPoolClient;
      wrappers.set(client, w);
    }
    return w;
  };

  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}
