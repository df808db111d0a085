// SQLite group commit: the transactions of concurrent requests share one COMMIT, so one fsync.
//
// With `synchronous = FULL` every COMMIT waits for the disk, on the event loop (better-sqlite3 is
// synchronous): ~0.5 ms here, most of a write request's time. Instead, a transaction opens (or
// joins) a batch, `BEGIN IMMEDIATE`, and runs as a SAVEPOINT inside it; the batch commits on the
// next turn of the event loop, once for every transaction that joined it. A transaction is not
// over for its caller until its batch has committed (releaseConnection waits, with the
// connection already free for others), so an acknowledged write is exactly as durable as before.
// A failed transaction rolls back its own savepoint only.
//
// Statements outside a transaction that run while a batch is open are part of it: a request's
// answer waits for settled() (server.ts), so nothing is shown before it is on disk.
//
// The batch's COMMIT itself does not wait for the disk either: the batch runs with
// `synchronous = NORMAL` (COMMIT writes the WAL, ~0.5 ms here, instead of ~2.3 ms with its fsync
// on the event loop, measured in the bench's write mix) and its WAL is then flushed with
// fdatasync on libuv's thread pool; the batch's waiters resume after that. This is FULL's
// durability for every acknowledged write (SQLite itself syncs the WAL before any checkpoint
// copies it into the database). Statements outside a batch still run with FULL.
//
// Not under `serve --workers` (store/db.ts): a batch holds SQLite's write lock for a whole turn
// of its worker's event loop, and another worker waiting for the lock sleeps in SQLite's busy
// handler, its event loop stopped, for that long.
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDialectConfig } from 'kysely';
import { StoreUnavailable } from './unavailable.ts';

/** Makes what a COMMIT with `synchronous = NORMAL` wrote durable (store/db.ts: fdatasync of the WAL). */
export type SyncWal = () => Promise<void>;

/** A batch commits at the latest after this many transactions (bounds the WAL a batch writes). */
const MAX_TRANSACTIONS = 100;

interface Batch {
  transactions: number;
  committed: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

const raw = (text: string) => CompiledQuery.raw(text);

export class GroupCommitDriver extends SqliteDriver {
  #batch: Batch | undefined;
  /** The batch the transaction that just committed its savepoint belongs to. */
  #joined: Batch | undefined;
  /** The last batch committed but maybe not yet synced. */
  #syncing: Batch | undefined;

  /**
   * `inTransaction`: whether SQLite has a transaction open (it rolls one back by itself on I/O
   * errors). `grouping` false: one commit per transaction, as Kysely's own driver. `syncWal`:
   * batches commit with `synchronous = NORMAL` and then this; without it (an in-memory
   * database), with FULL.
   */
  constructor(
    config: SqliteDialectConfig,
    private readonly inTransaction: () => boolean,
    private readonly grouping: boolean,
    private readonly syncWal?: SyncWal,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.grouping) return super.beginTransaction(connection);
    const open = this.#batch;
    // A batch SQLite gave up on (its transaction is gone), or a full one, ends here.
    if (open && (!this.inTransaction() || open.transactions >= MAX_TRANSACTIONS)) await this.#finish(connection, open);
    const batch = this.#batch ?? (await this.#open(connection));
    batch.transactions++;
    await connection.executeQuery(raw('savepoint roster_tx'));
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.grouping) return super.commitTransaction(connection);
    await connection.executeQuery(raw('release roster_tx'));
    this.#joined = this.#batch;
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.grouping) return super.rollbackTransaction(connection);
    // After an I/O error SQLite may have rolled back the whole batch; its end reports that.
    if (!this.inTransaction()) return;
    await connection.executeQuery(raw('rollback to roster_tx'));
    await connection.executeQuery(raw('release roster_tx'));
  }

  override async releaseConnection(): Promise<void> {
    const joined = this.#joined;
    this.#joined = undefined;
    await super.releaseConnection();
    // Kysely releases the connection after the commit: the caller's transaction returns (or
    // throws) once its batch is on disk, while other requests already use the connection.
    if (joined) await joined.committed;
  }

  /**
   * The commit of the open batch, or else of the last one while its WAL sync runs: what a
   * statement read or wrote now is on disk once this settles.
   */
  settled(): Promise<void> | undefined {
    return (this.#batch ?? this.#syncing)?.committed;
  }

  /** Commits the open batch now. */
  async flush(): Promise<void> {
    if (!this.#batch) return;
    const connection = await this.acquireConnection();
    try {
      if (this.#batch) await this.#finish(connection, this.#batch);
    } finally {
      await super.releaseConnection();
    }
  }

  override async destroy(): Promise<void> {
    await this.flush().catch(() => {});
    await this.#syncing?.committed.catch(() => {});
    await super.destroy();
  }

  async #open(connection: DatabaseConnection): Promise<Batch> {
    // Settable outside a transaction only; set back after the batch.
    if (this.syncWal) await connection.executeQuery(raw('pragma synchronous = NORMAL'));
    try {
      // IMMEDIATE: the write lock up front, so a batch never fails to upgrade a read lock when
      // another process (`serve --workers` on one file) wrote meanwhile.
      await connection.executeQuery(raw('begin immediate'));
    } catch (err) {
      if (this.syncWal) await connection.executeQuery(raw('pragma synchronous = FULL'));
      throw err;
    }
    let resolve!: () => void, reject!: (err: unknown) => void;
    const committed = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    // Every waiter gets the failure; nobody waiting is not an unhandled rejection.
    committed.catch(() => {});
    const batch: Batch = { transactions: 0, committed, resolve, reject };
    this.#batch = batch;
    setImmediate(() => void this.flush().catch(() => {}));
    return batch;
  }

  async #finish(connection: DatabaseConnection, batch: Batch): Promise<void> {
    this.#batch = undefined;
    let failure: unknown;
    try {
      // SQLite gives a batch up by itself only on disk full, I/O errors or lock timeouts: none of
      // its writes landed, and each of its requests answers 503 (store/unavailable.ts).
      if (!this.inTransaction()) throw new StoreUnavailable('SQLite rolled back the transaction batch');
      await connection.executeQuery(raw('commit'));
    } catch (err) {
      failure = err;
      if (this.inTransaction()) await connection.executeQuery(raw('rollback')).catch(() => {});
    }
    if (!this.syncWal) return failure ? batch.reject(failure) : batch.resolve();
    try {
      await connection.executeQuery(raw('pragma synchronous = FULL'));
    } catch (err) {
      failure ??= err;
    }
    if (failure) return batch.reject(failure);
    // The connection is free meanwhile: the next batch may open and commit before this sync ends.
    this.#syncing = batch;
    this.syncWal()
      .then(batch.resolve, batch.reject)
      .finally(() => {
        if (this.#syncing === batch) this.#syncing = undefined;
      });
  }
}

/** Kysely's SQLite dialect with the group-committing driver. */
export class GroupCommitDialect extends SqliteDialect {
  readonly driver: GroupCommitDriver;

  constructor(config: SqliteDialectConfig, inTransaction: () => boolean, grouping: boolean, syncWal?: SyncWal) {
    super(config);
    this.driver = new GroupCommitDriver(config, inTransaction, grouping, syncWal);
  }

  override createDriver(): GroupCommitDriver {
    return this.driver;
  }
}
