// Quotas set by a server admin for one org or one user (Grafana's `quota` table, split by scope
// so each row's owner is a foreign key and goes with it). A target without a row has the default
// from the settings (ROSTER_QUOTA_*).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('org_quotas')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('quota_limit', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_quotas_pk', ['org_id', 'target'])
    .execute();
  await db.schema
    .createTable('user_quotas')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('quota_limit', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_quotas_pk', ['user_id', 'target'])
    .execute();
}
