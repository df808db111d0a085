// The integrations table (PostHog org integrations), always scoped by org.
import type { Insertable } from 'kysely';
import type { Db } from './db.ts';
import type { IntegrationRow, IntegrationTable } from './schema.ts';

/** `id` lower-case. */
export async function findIntegrationRow(db: Db, orgId: number, id: string): Promise<IntegrationRow | undefined> {
  return db.selectFrom('integrations').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

/** One page in creation order, and how many the org has. */
export async function selectIntegrations(db: Db, orgId: number, page: { limit: number; offset: number }): Promise<{ total: number; rows: IntegrationRow[] }> {
  const base = db.selectFrom('integrations').where('org_id', '=', orgId);
  const rows = await base.selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { total: Number(total.n), rows };
}

export async function insertIntegration(db: Db, values: Insertable<IntegrationTable>): Promise<IntegrationRow> {
  return db.insertInto('integrations').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateIntegrationConfig(db: Db, orgId: number, id: string, config: string, updatedAt: string): Promise<void> {
  await db.updateTable('integrations').set({ config, updated_at: updatedAt }).where('org_id', '=', orgId).where('id', '=', id).execute();
}

export async function deleteIntegrationRow(db: Db, orgId: number, id: string): Promise<void> {
  await db.deleteFrom('integrations').where('org_id', '=', orgId).where('id', '=', id).execute();
}
