// The events table (the change-event outbox) and its named positions. docs/events.md.
//
// The feed's cursor is the event id, so ids must be handed out in commit order: a reader that
// has seen id N must never later find a committed event below N. SQLite has one writer at a
// time, so its ids already are. On PostgreSQL a sequence is not (a later id can commit first):
// there an event is appended under a transaction-level advisory lock, taken as late as possible
// (just before COMMIT, for the transactions of pipelinedTransaction) and held until the commit,
// so the id that comes after the lock is only drawn once every earlier holder has committed.
import { sql, type Kysely, type Transaction } from 'kysely';
import { PostgresAdapter } from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

export interface NewEvent {
  at: string;
  type: string;
  org_id: number | null;
  data: string;
}

/** The advisory lock id of the outbox's appends (migrations and bootstrap use others). */
const APPEND_LOCK = 7_240_318;

/** Events of PostgreSQL transactions run by pipelinedTransaction, appended at their commit. */
const deferred = new WeakMap<object, NewEvent[]>();

/** pipelinedTransaction (PostgreSQL): events of `trx` wait for its commit (appendDeferred). */
export function deferEvents(trx: Transaction<Database>): void {
  deferred.set(trx, []);
}

const lockAppends = (db: Db) => sql`select pg_advisory_xact_lock(${APPEND_LOCK})`.execute(db);
const insertEvents = (db: Db, rows: NewEvent[]) => db.insertInto('events').values(rows).execute();

/**
 * Issues the deferred events of `trx` (lock, then insert) without waiting, so that they travel
 * with the COMMIT sent right after; the promise fails if they did (the COMMIT then rolled back).
 */
export function appendDeferred(trx: Transaction<Database>): Promise<unknown> | undefined {
  const rows = deferred.get(trx);
  deferred.delete(trx);
  if (!rows?.length) return undefined;
  return Promise.all([lockAppends(trx), insertEvents(trx, rows)]);
}

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Appends an event in `db`'s transaction. Synchronous up to its first statement: a caller that
 * issues it together with a pipelined COMMIT has it queued before the COMMIT.
 */
export function appendEvent(db: Db, row: NewEvent): Promise<void> {
  const queue = deferred.get(db);
  if (queue) {
    queue.push(row);
    return Promise.resolve();
  }
  if (!isPostgres(db)) return insertEvents(db, [row]).then(() => {});
  // A transaction of its caller's (the CLI import) holds the lock to its end; a lone statement
  // gets a transaction of its own, so the lock covers its commit.
  if (db.isTransaction) return Promise.all([lockAppends(db), insertEvents(db, [row])]).then(() => {});
  return (db as Kysely<Database>)
    .transaction()
    .execute(async (trx) => {
      await lockAppends(trx);
      await insertEvents(trx, [row]);
    })
    .then(() => {});
}

export interface EventFilter {
  after: number;
  orgId?: number;
  types?: string[];
  limit: number;
}

/** Events after a position, oldest first. */
export async function selectEvents(db: Db, q: EventFilter) {
  let sel = db.selectFrom('events').selectAll().where('id', '>', q.after);
  if (q.orgId !== undefined) sel = sel.where('org_id', '=', q.orgId);
  if (q.types?.length) sel = sel.where('type', 'in', q.types);
  return sel.orderBy('id').limit(q.limit).execute();
}

export async function readCursor(db: Db, name: 'fanout' | 'pruned'): Promise<number> {
  const row = await db.selectFrom('event_cursors').select('position').where('name', '=', name).executeTakeFirst();
  return Number(row?.position ?? 0);
}

export async function setCursor(db: Db, name: 'fanout' | 'pruned', position: number): Promise<void> {
  await db.updateTable('event_cursors').set({ position }).where('name', '=', name).execute();
}

/** The newest event id (0 when none). */
export async function lastEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * Deletes up to `batch` events older than `before` (oldest first) and moves the 'pruned'
 * position past them, in one transaction; answers how many went.
 */
export async function pruneEvents(db: Kysely<Database>, before: string, batch: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const old = await trx.selectFrom('events').select('id').where('at', '<', before).orderBy('id').limit(batch).execute();
    if (!old.length) return 0;
    const through = Number(old[old.length - 1].id);
    await trx.deleteFrom('events').where('id', '<=', through).execute();
    if (through > (await readCursor(trx, 'pruned'))) await setCursor(trx, 'pruned', through);
    return old.length;
  });
}
