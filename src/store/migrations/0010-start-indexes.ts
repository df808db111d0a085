// Server admins by `is_admin`: start-up (domain/bootstrap.ts) and the last-admin rule ask whether
// any admin exists, which without an index scans every user (tens of ms at 100 k users on each
// start). A plain index, not a partial one: the flag is a bound parameter, and neither SQLite nor
// a generic PostgreSQL plan can match a parameter against a partial index's condition.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema.createIndex('users_is_admin').on('users').column('is_admin').execute();
}
