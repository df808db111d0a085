// Runs pending migrations at start, each in its own transaction. On PostgreSQL an advisory
// lock lets many processes start at once against one database.
import { sql } from 'kysely';
import type { Store } from './db.ts';
import { MIGRATIONS } from './migrations/index.ts';

const LOCK_ID = 727274; // arbitrary, fixed: "roster migrations"

export async function migrate(store: Store): Promise<string[]> {
  const { db, dialect } = store;
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();

  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    if (dialect === 'postgres') await sql`select pg_advisory_lock(${LOCK_ID})`.execute(conn);
    try {
      const done = new Set(
        (await conn.selectFrom('schema_migrations' as any).select('name').execute()).map((r: any) => r.name),
      );
      for (const m of MIGRATIONS) {
        if (done.has(m.name)) continue;
        await conn.transaction().execute(async (trx) => {
          await m.up(trx, { dialect });
          await trx
            .insertInto('schema_migrations' as any)
            .values({ name: m.name, applied_at: new Date().toISOString() })
            .execute();
        });
        applied.push(m.name);
      }
    } finally {
      if (dialect === 'postgres') await sql`select pg_advisory_unlock(${LOCK_ID})`.execute(conn);
    }
  });
  return applied;
}
