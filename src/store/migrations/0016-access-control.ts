// Access control as data (docs/access-control.md): custom roles are named sets of (action, scope)
// permissions; users and teams hold roles per org, and a basic role of an org can hold more
// roles. Resource permissions (a user made Edit of one service account) are rows of a managed
// role of that user or team, scoped to the resource. A role with no org is global: a server
// admin's, offered in every org.
import type { Kysely } from 'kysely';
import { idColumn, type MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const id = idColumn(ctx.dialect);
  await db.schema
    .createTable('roles')
    .addColumn('id', id.type, id.build)
    .addColumn('uid', 'text', (c) => c.notNull().unique())
    .addColumn('org_id', 'integer', (c) => c.references('orgs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('group_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('roles_org_name').on('roles').columns(['org_id', 'name']).execute();
  await db.schema
    .createTable('role_permissions')
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_permissions_pk', ['role_id', 'action', 'scope'])
    .execute();
  // Resource permissions are found by their scope (who may do what on one service account).
  await db.schema.createIndex('role_permissions_scope').on('role_permissions').columns(['scope']).execute();
  await db.schema
    .createTable('user_roles')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_roles_pk', ['org_id', 'user_id', 'role_id'])
    .execute();
  await db.schema.createIndex('user_roles_role').on('user_roles').columns(['role_id']).execute();
  await db.schema
    .createTable('team_roles')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_roles_pk', ['team_id', 'role_id'])
    .execute();
  await db.schema.createIndex('team_roles_role').on('team_roles').columns(['role_id']).execute();
  await db.schema
    .createTable('builtin_roles')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('builtin_role', 'text', (c) => c.notNull())
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('builtin_roles_pk', ['org_id', 'builtin_role', 'role_id'])
    .execute();
  await db.schema.createIndex('builtin_roles_role').on('builtin_roles').columns(['role_id']).execute();
}
