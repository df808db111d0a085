// Indexes for searches and lists that otherwise scan whole tables at scale (checked with EXPLAIN
// at 100 k users / 10 k orgs / 500 k memberships):
// - orgs by case-insensitive name prefix (`lower(name) like 'x%'`, GET /api/orgs?query=);
// - users in (login, email, id) order, the default sort of the user lists: deep pages and the
//   total are then read from the index alone instead of the table;
// - PostgreSQL with pg_trgm available: trigram indexes for the case-insensitive "contains"
//   user search (`lower(login|email|name) like '%x%'`). Without the extension (some managed
//   services allow-list it) the search still works, as a scan.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'postgres') {
    // text_pattern_ops: usable by LIKE 'prefix%' whatever the database's collation.
    await sql`create index orgs_name_lower on orgs (lower(name) text_pattern_ops)`.execute(db);
  } else {
    // SQLite uses it through the range that searchOrgs adds next to the LIKE (domain/orgs.ts).
    await sql`create index orgs_name_lower on orgs (lower(name))`.execute(db);
  }
  await db.schema.createIndex('users_login_email_id').on('users').columns(['login', 'email', 'id']).execute();

  if (ctx.dialect === 'postgres') {
    const available = await sql<{ n: number }>`select count(*)::int as n from pg_available_extensions where name = 'pg_trgm'`.execute(db);
    if (available.rows[0]!.n > 0) {
      await sql`create extension if not exists pg_trgm`.execute(db);
      for (const col of ['login', 'email', 'name']) {
        await sql`create index ${sql.id(`users_${col}_trgm`)} on users using gin (lower(${sql.ref(col)}) gin_trgm_ops)`.execute(db);
      }
    }
  }
}
