// The PostgreSQL pool, made to ride out a lost database: no connection error may crash the
// process, and a request that cannot get a connection fails fast with StoreUnavailable (503).
import type { Writable } from 'node:stream';
import './node-navigator.ts';
import pg from 'pg';
import type { PostgresPool } from 'kysely';
import { isConfigurationRefusal, StoreUnavailable } from './unavailable.ts';

export interface PgPoolOptions {
  max: number;
  /** How long opening a connection may take (ROSTER_DB_CONNECT_TIMEOUT). */
  connectTimeoutMs: number;
}

export function openPgPool(url: string, { max, connectTimeoutMs }: PgPoolOptions): pg.Pool {
  // Without a timeout, a connect to an unreachable host waits for the kernel's SYN retries
  // (minutes), and every request queued behind it with it. pg-pool applies the same bound to
  // waiting for a free client of a full pool: past it the request is shed with 503.
  // Pipeline mode: a query is written to the connection at once, even while earlier ones await
  // their answers, so the statements a transaction issues together cost one round trip
  // (store/pipelined-transaction.ts). Kysely still sends one query at a time otherwise.
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: connectTimeoutMs, pipeline: true });
  // The pool listens for errors only on idle clients. A connection that dies while a request
  // holds it (server restart, pg_terminate_backend, network cut) emits 'error' on its client:
  // with no listener, Node throws it and the process dies. The failure already reaches the
  // request through its query, and pg-pool discards a broken client when it is released, so
  // the listener has nothing else to do.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    writeOncePerTick(client);
  });
  // An idle connection closed by the server: the pool drops it and opens a new one when needed.
  pool.on('error', () => {});
  return pool;
}

/**
 * Writes the queries a client is given in one turn of the event loop with one system call: `pg`
 * writes each query's messages as they are given (one writev each), and a transaction's
 * statements issued together (store/pipelined-transaction.ts) would otherwise cost one write each.
 * The socket is corked at the first query and uncorked once the turn's microtasks have run.
 */
function writeOncePerTick(client: pg.PoolClient): void {
  const stream = (client as unknown as { connection: { stream: Writable } }).connection.stream;
  // The client's own method, looked up on each call (the class's, which this shadows).
  const proto = Object.getPrototypeOf(client) as { query: (...args: unknown[]) => unknown };
  let corked = false;
  client.query = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(() => {
        corked = false;
        stream.uncork();
      });
    }
    return proto.query.apply(client, args);
  }) as typeof client.query;
}

/**
 * Kysely's view of the pool, with connect failures (refused, timed out, the server starting up)
 * raised as StoreUnavailable. A refused login or a missing database is passed through as it is:
 * no retry fixes it.
 */
export function unavailableOnConnect(pool: PostgresPool): PostgresPool {
  return {
    async connect() {
      try {
        return await pool.connect();
      } catch (err) {
        if (isConfigurationRefusal(err)) throw err;
        throw new StoreUnavailable(`cannot connect to PostgreSQL: ${(err as Error).message}`, undefined, { cause: err });
      }
    },
    end: () => pool.end(),
  };
}
