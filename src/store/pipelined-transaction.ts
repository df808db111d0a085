// Transactions whose independent statements share one round trip on PostgreSQL.
//
// Kysely runs a transaction's statements one after another, each waiting for the answer to the
// one before: a write of eight statements cost eight round trips, and its connection sat idle in
// the transaction meanwhile. Here the pool's connections are in `pg`'s pipeline mode
// (store/pg-pool.ts) and a transaction's statements reach the connection as soon as they are
// issued: statements a caller issues together (Promise.all) travel at once, BEGIN with the first
// of them, and COMMIT, when the caller issues it with the last writes, with those. PostgreSQL
// still runs them one by one, in order, each with its own snapshot (READ COMMITTED), so a read
// sent after a lock sees what the lock holder committed.
//
// A statement that fails aborts the transaction: the statements behind it fail too, and a COMMIT
// behind it rolls back. The caller sees the first failure. BEGIN is not waited for: if it failed,
// the connection is gone, and so is every statement behind it.
//
// SQLite runs the same statements, in the order issued, in its one local transaction (Kysely's,
// through the group commit): no round trips there, so nothing to combine.
import { CompiledQuery, Transaction, type DatabaseConnection, type Kysely } from 'kysely';
import type { Dialect } from './db.ts';
import type { Database } from './schema.ts';

/**
 * Ends the transaction now (PostgreSQL: sends COMMIT behind what was issued before); later
 * statements are refused. Where the transaction is not this function's own (SQLite, or the
 * caller's outer transaction), it commits when the body returns, as before.
 */
export type Commit = () => Promise<void>;

const raw = (text: string) => CompiledQuery.raw(text);

/**
 * Runs `body` on a Kysely transaction, which runs statements one at a time: when one of several
 * issued together fails, the body fails at once while the others still wait their turn. They run
 * before the body's failure goes on to roll the transaction back (a last statement queued behind
 * them), not after, outside it.
 */
async function drained<T>(trx: Transaction<Database>, body: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await body(trx);
  } catch (err) {
    await trx.executeQuery(raw('select 1')).catch(() => {});
    throw err;
  }
}

export async function pipelinedTransaction<T>(db: Kysely<Database>, dialect: Dialect, body: (trx: Transaction<Database>, commit: Commit) => Promise<T>): Promise<T> {
  const later: Commit = async () => {};
  // The CLI import runs many operations in one transaction of its own: join it.
  if (db.isTransaction) return drained(db as Transaction<Database>, (trx) => body(trx, later));
  if (dialect !== 'postgres') return db.transaction().execute((trx) => drained(trx, (t) => body(t, later)));
  // getExecutor() is marked internal in Kysely's types (see precompiled.ts).
  const executor = db.getExecutor();
  return executor.provideConnection(async (connection: DatabaseConnection) => {
    let ended = false;
    const send = (text: string) => {
      if (ended) return Promise.reject(new Error('pipelinedTransaction: statement after the transaction ended'));
      const r = connection.executeQuery(raw(text));
      r.catch(() => {});
      return r;
    };
    // Every statement goes straight to the connection, without Kysely's one-at-a-time queue
    // (its SingleConnectionProvider): issued together, they are written together.
    const provider = {
      provideConnection: <R>(consumer: (c: DatabaseConnection) => Promise<R>): Promise<R> =>
        ended ? Promise.reject(new Error('pipelinedTransaction: statement after the transaction ended')) : consumer(connection),
    };
    // Kysely builds a Transaction from its own props; only the executor serves queries here.
    const trx = new Transaction<Database>({ config: {} as never, driver: {} as never, dialect: {} as never, executor: executor.withConnectionProvider(provider) });
    // Not awaited: BEGIN travels with the body's first statements.
    const begun = send('begin');
    const commit: Commit = async () => {
      const done = send('commit');
      ended = true;
      await done;
    };
    try {
      const result = await body(trx, commit);
      await begun;
      if (!ended) await commit();
      return result;
    } catch (err) {
      // Not awaited either: the connection goes back to the pool with the ROLLBACK on its way,
      // and whoever takes it next is answered after it (the connection keeps their order).
      if (!ended) void send('rollback');
      ended = true;
      throw err;
    }
  });
}
