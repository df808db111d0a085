// The audit trail: one row per change, written in the change's own transaction.
import type { Kysely } from 'kysely';
import { idColumn, type MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const id = idColumn(ctx.dialect);
  await db.schema
    .createTable('audit_events')
    .addColumn('id', id.type, id.build)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer')
    .addColumn('actor_service_account_id', 'integer')
    .addColumn('actor_token_id', 'integer')
    .addColumn('actor_login', 'text', (c) => c.notNull())
    .addColumn('face', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('audit_events_org').on('audit_events').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('audit_events_object').on('audit_events').columns(['object_type', 'object_id']).execute();
}
