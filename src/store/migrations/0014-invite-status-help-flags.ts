// Grafana's org invites live in the one invites table: an invite found by its secret code (only
// the code's keyed hash is kept, so it is looked up by that hash), and a status, so a revoked or
// completed invite still answers as such (Grafana: 412 "Invite cannot be used in status ...")
// instead of vanishing. Until now invites were deleted when accepted or withdrawn: every row left
// is pending. And Grafana's helpFlags1, the bitmask of help hints a user has dismissed.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .alterTable('invites')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .execute();
  await db.schema.createIndex('invites_code_hash').on('invites').column('code_hash').execute();
  await db.schema
    .alterTable('users')
    .addColumn('help_flags1', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
