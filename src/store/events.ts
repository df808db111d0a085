// The events table (the change-event outbox) and its named positions. docs/events.md.
//
// The feed's cursor is an event's `seq`, which must grow in commit order: a reader that has seen
// seq N must never later find a committed event below N. An event is inserted without one, in the
// transaction of its change, and given one once it has committed:
// - SQLite has one writer at a time, so the row id is already in commit order: `seq` is the
//   AUTOINCREMENT row id itself (migrations/0020), given by the insert.
// - PostgreSQL ids come from a sequence, drawn before commit: a later id can commit first. There
//   the sequencer (sequenceEvents) numbers the committed rows that have none yet, after those
//   numbered before, one sequencer at a time (an advisory lock). A row that commits later is seen
//   by a later run and numbered after. Writers take no lock at all: the cost of ordering is one
//   UPDATE per batch of events, off the write path.
import { sql, type Kysely } from 'kysely';
import type { Db, Dialect } from './db.ts';
import type { Database } from './schema.ts';
import { precompiledChange } from './precompiled.ts';

export interface NewEvent {
  at: string;
  type: string;
  org_id: number | null;
  data: string;
}

/** The advisory lock id of the PostgreSQL sequencer (migrations and bootstrap use others). */
const SEQUENCER_LOCK = 7_240_318;

// Every audited write appends one: compiled once (precompiled.ts).
const insertEvent = precompiledChange((db, at: string, type: string, org_id: number | null, data: string) => db.insertInto('events').values({ at, type, org_id, data }));

/** Appends an event in the caller's transaction. */
export async function appendEvent(db: Db, e: NewEvent): Promise<void> {
  await insertEvent(db, e.at, e.type, e.org_id, e.data);
}

/**
 * PostgreSQL: numbers committed events that have no `seq` yet, after every numbered one (and
 * after what retention deleted), in id order. Waits for a sequencer run of another process or
 * request, so a caller then sees every event committed before it called. SQLite: nothing to do.
 */
export async function sequenceEvents(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  // A plain read first: most calls find nothing to number and take no lock.
  const pending = await sql<{ id: number }>`select id from events where seq is null limit 1`.execute(db);
  if (!pending.rows.length) return;
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SEQUENCER_LOCK})`.execute(trx);
    await sql`
      update events e set seq = n.seq
      from (
        select id, row_number() over (order by id)
          + greatest((select coalesce(max(seq), 0) from events), (select position from event_cursors where name = 'pruned')) as seq
        from events where seq is null
      ) n
      where e.id = n.id`.execute(trx);
  });
}

export interface EventFilter {
  after: number;
  orgId?: number;
  types?: string[];
  limit: number;
}

/** Numbered events after a position, oldest first. */
export async function selectEvents(db: Db, q: EventFilter) {
  let sel = db.selectFrom('events').select(['seq', 'at', 'type', 'org_id', 'data']).where('seq', '>', q.after);
  if (q.orgId !== undefined) sel = sel.where('org_id', '=', q.orgId);
  if (q.types?.length) sel = sel.where('type', 'in', q.types);
  const rows = await sel.orderBy('seq').limit(q.limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

export async function readCursor(db: Db, name: 'fanout' | 'pruned'): Promise<number> {
  const row = await db.selectFrom('event_cursors').select('position').where('name', '=', name).executeTakeFirst();
  return Number(row?.position ?? 0);
}

export async function setCursor(db: Db, name: 'fanout' | 'pruned', position: number): Promise<void> {
  await db.updateTable('event_cursors').set({ position }).where('name', '=', name).execute();
}

/** The newest numbered position (0 when none). */
export async function lastEventSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * Deletes the oldest numbered events older than `before`, up to `batch`, and moves the 'pruned'
 * position past them; answers how many went. The oldest positions are read with a plain read
 * (most runs find none old enough and write nothing), and only the run of them older than
 * `before` goes: positions follow commit order, which follows `at` closely, and an event a little
 * out of order waits for the next run. The transaction then writes first, so on SQLite it never
 * has to upgrade a read lock another process's write would refuse.
 */
export async function pruneEvents(db: Kysely<Database>, before: string, batch: number): Promise<number> {
  const oldest = await db.selectFrom('events').select(['seq', 'at']).where('seq', 'is not', null).orderBy('seq').limit(batch).execute();
  const old = oldest.findIndex((e) => e.at >= before);
  const count = old === -1 ? oldest.length : old;
  if (!count) return 0;
  const through = Number(oldest[count - 1].seq);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('events').where('seq', '<=', through).execute();
    await trx.updateTable('event_cursors').set({ position: through }).where('name', '=', 'pruned').where('position', '<', through).execute();
  });
  return count;
}
