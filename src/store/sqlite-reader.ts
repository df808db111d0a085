// Long SQLite reads on a worker thread. better-sqlite3 runs a query on the calling thread, so a
// search counting tens of thousands of index entries (docs/search.md) would stop the event loop
// and every other request with it. This Kysely dialect runs its queries, reads only, on one
// worker thread with its own read-only connection to the same file: WAL lets it read alongside
// the writer, and it sees what is committed, which includes every acknowledged write
// (store/group-commit.ts acknowledges a write once its batch has committed).
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult } from 'kysely';
import type { Database } from './schema.ts';

// CommonJS, evaluated by the worker: opens the file read-only and answers { id, sql, params }.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -16384');
const statements = new Map();
parentPort.on('message', ({ id, sql, params }) => {
  try {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size >= 200) statements.delete(statements.keys().next().value);
      statements.set(sql, stmt);
    }
    parentPort.postMessage({ id, rows: stmt.all(params) });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err.message, code: err.code } });
  }
});
`;

class ReaderThread {
  private worker: Worker;
  private next = 0;
  private pending = new Map<number, { resolve(rows: unknown[]): void; reject(err: Error): void }>();

  constructor(path: string) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, module } });
    // Idle, it does not keep the process alive; the store's close() ends it.
    this.worker.unref();
    this.worker.on('message', (m: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve(m.rows!);
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', () => this.failAll(new Error('SQLite reader thread exited')));
  }

  run(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const id = this.next++;
      // Referenced while a query is out: a process waiting only for it stays up.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, sql, params });
    });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

class ReaderConnection implements DatabaseConnection {
  constructor(private readonly thread: ReaderThread) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.thread.run(q.sql, q.parameters)) as R[] };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite reader does not stream');
  }
}

class ReaderDriver implements Driver {
  private readonly connection: ReaderConnection;
  constructor(thread: ReaderThread) {
    this.connection = new ReaderConnection(thread);
  }
  async init(): Promise<void> {}
  // One connection for every caller: the thread runs their queries one after the other.
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('the SQLite reader runs single reads, not transactions');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/**
 * A Kysely whose queries run on a reader thread over the SQLite file at `path` (reads only), and
 * the thread's end (Kysely's destroy() skips a driver that never ran a query).
 */
export function openSqliteReader(path: string): { db: Kysely<Database>; close(): Promise<void> } {
  const thread = new ReaderThread(path);
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ReaderDriver(thread),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  return { db: new Kysely<Database>({ dialect }), close: () => thread.close() };
}
