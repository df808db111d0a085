// From the outbox to each endpoint's queue: events after the 'fanout' position become deliveries
// to the enabled webhooks of their org, and the position moves past them, in one transaction.
// One process at a time does it (an advisory lock on PostgreSQL, the write lock on SQLite); the
// outbox's positions are in commit order (store/events.ts), so the position never passes an
// event that commits later.
import type { Kysely } from 'kysely';
import { changeEventOf } from '../domain/event-feed.ts';
import type { Dialect } from '../store/db.ts';
import { readCursor, selectEvents, sequenceEvents, setCursor } from '../store/events.ts';
import type { Database } from '../store/schema.ts';
import { enabledWebhooksIn, firstWantedEvent, insertDeliveries, tryFanoutLock } from '../store/webhooks.ts';

const BATCH = 500;

/** Whether events wait for fanout: plain reads, so an idle process takes no write lock. */
async function due(db: Kysely<Database>): Promise<boolean> {
  // Without an enabled endpoint nothing is fanned out, and the position need not move either:
  // an endpoint only wants events after its creation (from_event_id).
  const [from, cursor] = await Promise.all([firstWantedEvent(db), readCursor(db, 'fanout')]);
  if (from === undefined) return false;
  return (await selectEvents(db, { after: Math.max(from, cursor), limit: 1 })).length > 0;
}

/** Fans out one batch; true when more may wait. */
export async function fanOut(db: Kysely<Database>, dialect: Dialect): Promise<boolean> {
  await sequenceEvents(db, dialect);
  if (!(await due(db))) return false;
  return db.transaction().execute(async (trx) => {
    if (!(await tryFanoutLock(trx, dialect))) return false;
    const from = (await firstWantedEvent(trx)) ?? 0;
    const events = await selectEvents(trx, { after: Math.max(from, await readCursor(trx, 'fanout')), limit: BATCH });
    if (!events.length) return false;
    const orgs = [...new Set(events.map((e) => e.org_id).filter((o): o is number => o !== null))];
    const hooks = (await enabledWebhooksIn(trx, orgs)).map((h) => ({ ...h, types: new Set(JSON.parse(h.event_types) as string[]) }));
    const at = new Date().toISOString();
    const rows = events.flatMap((e) =>
      hooks
        .filter((h) => h.org_id === e.org_id && e.seq > h.from_event_id && (h.types.size === 0 || h.types.has(e.type)))
        .map((h) => ({ webhook_id: h.id, event_id: e.seq, event_type: e.type, payload: JSON.stringify(changeEventOf(e)), created_at: at, next_attempt_at: at })),
    );
    for (let i = 0; i < rows.length; i += BATCH) await insertDeliveries(trx, rows.slice(i, i + BATCH));
    await setCursor(trx, 'fanout', events[events.length - 1].seq);
    return events.length === BATCH;
  });
}
