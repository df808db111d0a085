// What a database is to everything above the store: Kysely, its dialect, and how it closes.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

/** The database or a transaction on it: what every store function runs its queries on. */
export type Db = Kysely<Database> | Transaction<Database>;

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
  /**
   * SQLite: the commit of the transaction batch open now (store/group-commit.ts), if any; what
   * was read or written since is on disk once it settles.
   */
  settled?(): Promise<void> | undefined;
  /**
   * SQLite in a file: a read-only connection on a worker thread for reads that can be long
   * (searches, store/sqlite-reader.ts). Not for reads inside a transaction.
   */
  reads?: Kysely<Database>;
  /**
   * PostgreSQL: a small pool of its own for the background workers (webhook deliveries, the mail
   * outbox, event retention), so their statements do not queue behind the requests' (pg-store.ts).
   * SQLite: absent (one connection; use `db`).
   */
  background?: Kysely<Database>;
  /** PostgreSQL pool figures for /metrics. */
  poolStats?(): { total: number; idle: number; waiting: number };
}

export interface StoreOptions {
  /** PostgreSQL connections in this process's pool (ROSTER_DB_POOL_SIZE). */
  poolSize?: number;
  /** PostgreSQL: run queries as named prepared statements (store/pg-prepared.ts). */
  preparedStatements?: boolean;
  /** PostgreSQL: how long opening a connection may take, in ms (ROSTER_DB_CONNECT_TIMEOUT). */
  connectTimeoutMs?: number;
}
