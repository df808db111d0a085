// SCIM 2.0 provisioning (docs/scim.md): the org-bound bearer tokens an identity provider holds,
// and what SCIM knows about users and teams beyond Roster's own rows: the provider's externalId,
// and that a user was provisioned into an org (so a deprovisioned user stays a SCIM resource of
// that org, `active: false`, after their membership is gone).
import type { Kysely } from 'kysely';
import { idColumn, type MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const id = idColumn(ctx.dialect);
  await db.schema
    .createTable('scim_tokens')
    .addColumn('id', id.type, id.build)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mask', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('scim_tokens_org').on('scim_tokens').column('org_id').execute();

  await db.schema
    .createTable('scim_users')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('external_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scim_users_pk', ['org_id', 'user_id'])
    .execute();
  await db.schema.createIndex('scim_users_user').on('scim_users').column('user_id').execute();
  await db.schema.createIndex('scim_users_external').on('scim_users').columns(['org_id', 'external_id']).execute();

  await db.schema
    .createTable('scim_groups')
    .addColumn('team_id', 'integer', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('external_id', 'text')
    .execute();
  await db.schema.createIndex('scim_groups_external').on('scim_groups').columns(['org_id', 'external_id']).execute();
}
