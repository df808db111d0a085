// Opens a SQLite file (or :memory:) as a Store: WAL with full sync, group commit, reader threads.
// Loaded only for a sqlite: URL (store/db.ts), with better-sqlite3.
import cluster from 'node:cluster';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase } from 'kysely';
import type { Store } from './store.ts';
import { GroupCommitDialect } from './group-commit.ts';
import { openSqliteReader } from './sqlite-reader.ts';
import { walSync } from './wal-sync.ts';
import type { Database } from './schema.ts';

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

export function openSqliteStore(path: string): Store {
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
