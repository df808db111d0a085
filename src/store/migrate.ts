// Runs pending migrations at start, each in its own transaction. Many processes may start at
// once against one database: PostgreSQL serializes them with an advisory lock, SQLite with its
// write lock taken at the start of each migration.
import { sql } from 'kysely';
import type { Store } from './db.ts';
import { MIGRATIONS } from './migrations/index.ts';

const LOCK_ID = 727274; // arbitrary, fixed: "roster migrations"

export async function migrate(store: Store): Promise<string[]> {
  const { db, dialect } = store;
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    if (dialect === 'postgres') await sql`select pg_advisory_lock(${LOCK_ID})`.execute(conn);
    try {
      // Under the lock: two concurrent `create table if not exists` can both miss the table on
      // PostgreSQL and one then fails on the catalog's unique index.
      await conn.schema
        .createTable('schema_migrations')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .execute();
      const done = new Set(
        (
          await conn
            .selectFrom('schema_migrations' as any)
            .select('name')
            .execute()
        ).map((r: any) => r.name),
      );
      for (const m of MIGRATIONS) {
        if (done.has(m.name)) continue;
        const ran = await conn.transaction().execute(async (trx) => {
          if (dialect === 'sqlite') {
            // No advisory lock here: a write (deleting nothing) takes SQLite's write lock first,
            // then a process that started at the same time may turn out to have applied it.
            await trx
              .deleteFrom('schema_migrations' as any)
              .where('name', '=', '')
              .execute();
            if (
              await trx
                .selectFrom('schema_migrations' as any)
                .select('name')
                .where('name', '=', m.name)
                .executeTakeFirst()
            )
              return false;
          }
          await m.up(trx, { dialect });
          await trx
            .insertInto('schema_migrations' as any)
            .values({ name: m.name, applied_at: new Date().toISOString() })
            .execute();
          return true;
        });
        if (ran) applied.push(m.name);
      }
    } finally {
      if (dialect === 'postgres') await sql`select pg_advisory_unlock(${LOCK_ID})`.execute(conn);
    }
  });
  return applied;
}
