// The pool Kysely's PostgreSQL dialect draws connections from, with each connection's `query`
// wrapped (named prepared statements, BEGIN sent with the first statement).
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type { Query } from './pg-begin.ts';

export function wrappedPool(pool: pg.Pool, wrap: (client: pg.PoolClient) => Query): PostgresPool {
  // One wrapper per pooled client, so Kysely (which keys its connections by client) reuses them
  // and the wrapper's per-connection state lives as long as the connection.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrapped = (client: pg.PoolClient): PostgresPoolClient => {
    let w = wrappers.get(client);
    if (!w) {
      w = { query: wrap(client), release: () => client.release() } as unknown as PostgresPoolClient;
      wrappers.set(client, w);
    }
    return w;
  };
  return {
    connect: async () => wrapped(await pool.connect()),
    end: () => pool.end(),
  };
}
