// Single sign-on: identities linking a user to an OpenID provider's subject, sign-ins under way
// (their state, single-use), and the external groups a team is synced with.
import type { Kysely } from 'kysely';
import { idColumn, type MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const id = idColumn(ctx.dialect);

  // A user is found at sign-in by the provider's issuer and subject, never by email alone.
  await db.schema
    .createTable('user_identities')
    .addColumn('id', id.type, id.build)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('user_identities_subject', ['issuer', 'subject'])
    .execute();
  await db.schema.createIndex('user_identities_user').on('user_identities').column('user_id').execute();

  // A sign-in started at the provider: only a keyed hash of its state, deleted when the provider
  // sends the browser back (so a state is good once) or when it expires.
  await db.schema
    .createTable('sso_logins')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_logins_expires').on('sso_logins').column('expires_at').execute();

  // Grafana's team sync: members of these external groups are the team's synced members.
  await db.schema
    .createTable('team_groups')
    .addColumn('id', id.type, id.build)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('team_groups_team_group', ['team_id', 'group_id'])
    .execute();
  await db.schema.createIndex('team_groups_group').on('team_groups').column('group_id').execute();

  // Team memberships made by team sync: removed by it when the user leaves the group, while
  // members added by hand stay.
  await db.schema
    .alterTable('team_members')
    .addColumn('synced', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
