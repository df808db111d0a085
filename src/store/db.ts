// Opens SQLite or PostgreSQL from one URL; everything above this file speaks Kysely only.
import cluster from 'node:cluster';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, type SqliteDatabase, type Transaction } from 'kysely';
import { openPgPool, unavailableOnConnect } from './pg-pool.ts';
import { GroupCommitDialect } from './group-commit.ts';
import { preparedStatementPool } from './pg-prepared.ts';
import { openSqliteReader } from './sqlite-reader.ts';
import { walSync } from './wal-sync.ts';
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
  /** PostgreSQL pool figures for /metrics. */
  poolStats?(): { total: number; idle: number; waiting: number };
}

// PostgreSQL count(*) and bigint arrive as strings; every id and count here fits a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Kysely asks better-sqlite3 to prepare (compile) every statement anew, which was about a tenth
 * of a simple authenticated read. The same SQL texts repeat, so keep their compiled statements
 * (bounded; oldest dropped first). Safe: SQLite here is one connection behind Kysely's mutex,
 * and better-sqlite3 re-prepares a cached statement by itself after a schema change.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let stmt = statements.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        if (statements.size >= max) statements.delete(statements.keys().next().value!);
        statements.set(text, stmt);
      }
      return stmt;
    },
  };
}

export interface StoreOptions {
  /** PostgreSQL connections in this process's pool (ROSTER_DB_POOL_SIZE). */
  poolSize?: number;
  /** PostgreSQL: run queries as named prepared statements (store/pg-prepared.ts). */
  preparedStatements?: boolean;
  /** PostgreSQL: how long opening a connection may take, in ms (ROSTER_DB_CONNECT_TIMEOUT). */
  connectTimeoutMs?: number;
}

export function openStore(url: string, { poolSize = 10, preparedStatements = true, connectTimeoutMs = 5000 }: StoreOptions = {}): Store {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    // First, so that even switching to WAL waits for another process opening the same new file.
    sqlite.pragma('busy_timeout = 5000');
    // WAL with full sync: an acknowledged write survives a crash of the process or the machine.
    const journal = sqlite.pragma('journal_mode = WAL', { simple: true });
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // SQLite's default page cache is 2 MB: a 1,000-row page then reads most rows through system
    // calls (4x slower, measured with bench/). 32 MB keeps the hot part of a large database
    // in memory while the process stays well under its RSS budget.
    sqlite.pragma('cache_size = -32768');
    // Batches commit without SQLite's fsync and then sync the WAL themselves; without a WAL file
    // (an in-memory database) they commit as configured above.
    const wal = journal === 'wal' ? walSync(path) : undefined;
    const dialect = new GroupCommitDialect({ database: withStatementCache(sqlite) }, () => sqlite.inTransaction, !cluster.isWorker, wal && (() => wal.sync()));
    const db = new Kysely<Database>({ dialect });
    // One reader thread per core; under `serve --workers` the processes already take one core each.
    const reader = path === ':memory:' ? undefined : openSqliteReader(path, cluster.isWorker ? 1 : availableParallelism());
    const close = async () => {
      await reader?.close();
      await db.destroy();
      await wal?.close();
    };
    return { db, dialect: 'sqlite', close, settled: () => dialect.driver.settled(), reads: reader?.db };
  }
  // Connection losses are survived there (store/pg-pool.ts); requests see them as 503.
  const pool = openPgPool(url, { max: poolSize, connectTimeoutMs });
  const kyselyPool = unavailableOnConnect(preparedStatements ? preparedStatementPool(pool) : pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPool }) });
  const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  return { db, dialect: 'postgres', close: () => db.destroy(), poolStats };
}
