// Change events (docs/events.md): the outbox every audited change appends to in its own
// transaction, the org webhooks that receive them, and the delivery queue between the two.
import { sql, type Kysely } from 'kysely';
import { idColumn, type MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const id = idColumn(ctx.dialect);

  // The outbox. `seq` is the feed's cursor: positions in commit order (store/events.ts).
  await db.schema
    .createTable('events')
    .addColumn('id', id.type, id.build)
    .addColumn('seq', 'integer')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer')
    // The event as delivered, JSON (never secrets: domain/change-events.ts strips them).
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_seq').unique().on('events').column('seq').execute();
  await db.schema.createIndex('events_org').on('events').columns(['org_id', 'seq']).execute();
  await db.schema.createIndex('events_at').on('events').column('at').execute();
  if (ctx.dialect === 'sqlite') {
    // One writer at a time: the row id is already in commit order (AUTOINCREMENT never reuses one).
    await sql`create trigger events_seq after insert on events begin update events set seq = new.id where id = new.id; end`.execute(db);
  } else {
    // PostgreSQL: rows wait for the sequencer (store/events.ts sequenceEvents).
    await sql`create index events_unsequenced on events (id) where seq is null`.execute(db);
  }

  // Named positions in the outbox: how far the webhook fanout has read, and up to where the
  // retention pruner has deleted (a feed cursor below it has lost events: 410).
  await db.schema
    .createTable('event_cursors')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('event_cursors')
    .values([
      { name: 'fanout', position: 0 },
      { name: 'pruned', position: 0 },
    ])
    .execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', id.type, id.build)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    // JSON array of event types; empty: every type.
    .addColumn('event_types', 'text', (c) => c.notNull())
    // The signing secret (whsec_...), sealed with the server's secret box.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    // Events after this outbox position are delivered (none from before the endpoint existed).
    .addColumn('from_event_id', 'integer', (c) => c.notNull())
    // Set at the first failure of a run of failures; cleared by a success.
    .addColumn('failing_since', 'text')
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_org').on('webhooks').column('org_id').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', id.type, id.build)
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    // The signed body, kept with the delivery: retries outlive the outbox's retention.
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    // A worker's lease (as mail_outbox's): another process may take the row once it has passed.
    .addColumn('claimed_until', 'text')
    .addColumn('claim_token', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .execute();
  // The worker's queries: each endpoint's oldest undelivered row; anything due at all (and the
  // log's retention) without reading the delivered rows.
  await db.schema.createIndex('webhook_deliveries_pending').on('webhook_deliveries').columns(['webhook_id', 'delivered_at', 'id']).execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['delivered_at', 'next_attempt_at']).execute();
}
