// The webhooks and webhook_deliveries tables: org endpoints, and the queue of signed events to
// post to them, claimed by one worker at a time under a lease (as mail_outbox). docs/events.md.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db, Dialect } from './db.ts';
import type { WebhookDeliveryTable, WebhookTable } from './schema.ts';

export async function insertWebhook(db: Db, row: Insertable<WebhookTable>) {
  return db.insertInto('webhooks').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function webhooksOf(db: Db, orgId: number) {
  return db.selectFrom('webhooks').selectAll().where('org_id', '=', orgId).orderBy('id').execute();
}

export async function findWebhook(db: Db, orgId: number, id: number) {
  return db.selectFrom('webhooks').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

export async function updateWebhook(db: Db, id: number, set: Updateable<WebhookTable>) {
  return db.updateTable('webhooks').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteWebhook(db: Db, id: number): Promise<void> {
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

/** An endpoint's deliveries, newest first, before a delivery id. */
export async function deliveriesOf(db: Db, webhookId: number, before: number | undefined, limit: number) {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (before !== undefined) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

/** A delivery to one of an org's endpoints. */
export async function findOrgDelivery(db: Db, orgId: number, id: number) {
  return db.selectFrom('webhook_deliveries as d').innerJoin('webhooks as w', 'w.id', 'd.webhook_id').selectAll('d').where('w.org_id', '=', orgId).where('d.id', '=', id).executeTakeFirst();
}

export async function insertDelivery(db: Db, row: Insertable<WebhookDeliveryTable>) {
  return db.insertInto('webhook_deliveries').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertDeliveries(db: Db, rows: Insertable<WebhookDeliveryTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('webhook_deliveries').values(rows).execute();
}

/** Enabled endpoints of these orgs (the fanout's). */
export async function enabledWebhooksIn(db: Db, orgIds: number[]) {
  if (!orgIds.length) return [];
  return db.selectFrom('webhooks').select(['id', 'org_id', 'event_types', 'from_event_id']).where('enabled', '=', 1).where('org_id', 'in', orgIds).execute();
}

/** The outbox position after which some enabled endpoint wants events; undefined: none is enabled. */
export async function firstWantedEvent(db: Db): Promise<number | undefined> {
  const row = await db
    .selectFrom('webhooks')
    .select((eb) => eb.fn.min('from_event_id').as('from'))
    .where('enabled', '=', 1)
    .executeTakeFirst();
  return row?.from === null || row?.from === undefined ? undefined : Number(row.from);
}

/** PostgreSQL: whether this transaction now holds the fanout's lock (another process may). */
export async function tryFanoutLock(db: Db, dialect: Dialect): Promise<boolean> {
  if (dialect !== 'postgres') {
    // SQLite: the write lock, taken now, makes read-then-write of the cursor atomic across processes.
    await db.deleteFrom('meta').where('key', '=', 'fanout-lock').execute();
    return true;
  }
  const r = await sql<{ held: boolean }>`select pg_try_advisory_xact_lock(7240319) as held`.execute(db);
  return r.rows[0].held;
}

export interface ClaimedDelivery {
  id: number;
  webhook_id: number;
  event_id: number;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Claims runs of deliveries due at `at`, for up to `endpoints` enabled endpoints: each endpoint's
 * oldest undelivered delivery (its head) and the `run - 1` undelivered ones queued after it, all
 * under `token`. Only heads are contended: whoever claims an endpoint's head owns its queue until
 * the claim is released or runs out, so the rest of the run needs no lock (order per endpoint: a
 * failing head holds back the ones after it). PostgreSQL: heads another process is claiming are
 * skipped (SKIP LOCKED); SQLite: one writer at a time. Answers the runs, each in queue order.
 */
export async function claimDueRuns(db: Db, dialect: Dialect, at: string, until: string, token: string, endpoints: number, run: number): Promise<ClaimedDelivery[][]> {
  const lock = dialect === 'postgres' ? sql`for update of d skip locked` : sql``;
  const heads = await sql<{ webhook_id: number }>`
    update webhook_deliveries set claimed_until = ${until}, claim_token = ${token}
    where id in (
      select d.id from webhook_deliveries d
      where d.id in (
          -- Each enabled endpoint's head: one index lookup per endpoint, however long the queues.
          select (select min(h.id) from webhook_deliveries h where h.webhook_id = w.id and h.delivered_at is null) from webhooks w where w.enabled = 1
        )
        and d.next_attempt_at <= ${at} and (d.claimed_until is null or d.claimed_until < ${at})
      order by d.next_attempt_at, d.id
      limit ${endpoints}
      ${lock}
    )
    returning webhook_id`.execute(db);
  if (!heads.rows.length) return [];
  if (run > 1) {
    // The rest of each run, in one statement: per endpoint, its first `run` undelivered rows (an
    // index range from the head), the head included.
    const perEndpoint = heads.rows.map(
      (h) => sql`select id from (select id from webhook_deliveries where webhook_id = ${h.webhook_id} and delivered_at is null order by id limit ${run}) r${sql.raw(String(Number(h.webhook_id)))}`,
    );
    await sql`update webhook_deliveries set claimed_until = ${until}, claim_token = ${token} where id in (${sql.join(perEndpoint, sql` union all `)})`.execute(db);
  }
  const rows = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select(['d.id', 'd.webhook_id', 'd.event_id', 'd.payload', 'd.attempts', 'w.url', 'w.secret'])
    .where('d.claim_token', '=', token)
    .where('d.delivered_at', 'is', null)
    .orderBy('d.webhook_id')
    .orderBy('d.id')
    .execute();
  const runs = new Map<number, ClaimedDelivery[]>();
  for (const r of rows) {
    const row = { ...r, id: Number(r.id), webhook_id: Number(r.webhook_id), event_id: Number(r.event_id) };
    runs.set(row.webhook_id, [...(runs.get(row.webhook_id) ?? []), row]);
  }
  return [...runs.values()];
}

/** Marks the deliveries of a run that the receiver accepted with `status`, in one statement, while the claim is still `token`'s. */
export async function markDelivered(db: Db, token: string, ids: number[], status: number, at: string): Promise<number> {
  if (!ids.length) return 0;
  const r = await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ delivered_at: at, last_attempt_at: at, last_status: status, last_error: null, attempts: eb('attempts', '+', 1), claimed_until: null, claim_token: null }))
    .where('id', 'in', ids)
    .where('claim_token', '=', token)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Gives back what is left of a run (not posted), so that the next claim takes it again. One claim's token covers several endpoints' runs: `ids` are this run's. */
export async function releaseClaims(db: Db, token: string, ids: number[]): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ claimed_until: null, claim_token: null }).where('id', 'in', ids).where('claim_token', '=', token).execute();
}

/** Updates a claimed delivery, only while the claim is still `token`'s; answers whether it was. */
export async function updateClaimedDelivery(db: Db, id: number, token: string, set: Updateable<WebhookDeliveryTable>): Promise<boolean> {
  const r = await db.updateTable('webhook_deliveries').set(set).where('id', '=', id).where('claim_token', '=', token).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Whether any delivery may be due: a plain read, so idle workers take no write lock. */
export async function anyDeliveryDue(db: Db, at: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('delivered_at', 'is', null)
    .where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Email addresses of an org's Admins (told when one of its endpoints is disabled). */
export async function orgAdminEmails(db: Db, orgId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('org_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.email')
    .where('m.org_id', '=', orgId)
    .where('m.role', '=', 'Admin')
    .where('u.is_disabled', '=', 0)
    .where('u.email', '!=', '')
    .execute();
  return rows.map((r) => r.email);
}

/** Deletes delivered rows older than `before` (the delivery log's retention). */
export async function pruneDeliveries(db: Db, before: string): Promise<void> {
  // A plain read first: most runs find nothing, and then take no write lock.
  const any = await db.selectFrom('webhook_deliveries').select('id').where('delivered_at', '<', before).limit(1).executeTakeFirst();
  if (any) await db.deleteFrom('webhook_deliveries').where('delivered_at', '<', before).execute();
}
