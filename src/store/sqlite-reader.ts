// Long SQLite reads on worker threads. better-sqlite3 runs a query on the calling thread, so a
// search counting tens of thousands of index entries (docs/search.md) would stop the event loop
// and every other request with it. This Kysely dialect runs its queries, reads only, on worker
// threads, each with its own read-only connection to the same file: WAL lets them read alongside
// the writer, and they see what is committed, which includes every acknowledged write
// (store/group-commit.ts acknowledges a write once its batch has committed). One thread per core:
// a long read then holds one core, not every search queued behind it.
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
  readonly pending = new Map<number, { resolve(rows: unknown[]): void; reject(err: Error): void }>();

  /** `onExit`: the thread has ended or is ending (closed, or failed to open the file): the pool starts another when next needed. */
  constructor(path: string, onExit: (t: ReaderThread) => void) {
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
    // An uncaught error ends the thread; 'exit' follows it, later: leave the pool at once.
    const ended = (err: Error) => {
      this.failAll(err);
      onExit(this);
    };
    this.worker.on('error', ended);
    this.worker.on('exit', () => ended(new Error('SQLite reader thread exited')));
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

/**
 * Up to `max` reader threads, started when needed: the first with the first query (a server
 * that never searches starts none), another when every running one has a query out. Each query
 * goes to the thread with the fewest out, so a short read need not wait behind a long one.
 */
class ReaderPool {
  private threads: ReaderThread[] = [];
  private closed = false;
  constructor(
    private readonly path: string,
    private readonly max: number,
  ) {}
  run(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('the SQLite reader is closed'));
    let idlest = this.threads[0];
    for (const t of this.threads) if (t.pending.size < idlest!.pending.size) idlest = t;
    if (!idlest || (idlest.pending.size > 0 && this.threads.length < this.max)) {
      idlest = new ReaderThread(this.path, (ended) => (this.threads = this.threads.filter((t) => t !== ended)));
      this.threads.push(idlest);
    }
    return idlest.run(sql, params);
  }
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

class ReaderConnection implements DatabaseConnection {
  constructor(private readonly pool: ReaderPool) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.pool.run(q.sql, q.parameters)) as R[] };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite reader does not stream');
  }
}

class ReaderDriver implements Driver {
  private readonly connection: ReaderConnection;
  constructor(pool: ReaderPool) {
    this.connection = new ReaderConnection(pool);
  }
  async init(): Promise<void> {}
  // One connection for every caller: the pool spreads their queries over its threads.
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
 * A Kysely whose queries run on `threads` reader threads over the SQLite file at `path` (reads
 * only), and the threads' end (Kysely's destroy() skips a driver that never ran a query).
 */
export function openSqliteReader(path: string, threads: number): { db: Kysely<Database>; close(): Promise<void> } {
  const pool = new ReaderPool(path, Math.max(1, threads));
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ReaderDriver(pool),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  return { db: new Kysely<Database>({ dialect }), close: () => pool.close() };
}
