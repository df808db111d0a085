// Service accounts hold custom roles, as Grafana's do (its service accounts are users): one row
// per account and role, in the account's org. Deleting the account or the role ends the row.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_account_roles')
    .addColumn('service_account_id', 'integer', (c) => c.notNull().references('service_accounts.id').onDelete('cascade'))
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('service_account_roles_pk', ['service_account_id', 'role_id'])
    .execute();
  await db.schema.createIndex('service_account_roles_role').on('service_account_roles').columns(['role_id']).execute();
}
