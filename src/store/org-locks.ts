// Row locks on an org: how writers to one org take turns (domain/context.ts withOrgLock says when).
import { sql } from 'kysely';
import type { Db, Dialect } from './db.ts';
import { precompiled } from './precompiled.ts';

/**
 * `exclusive` serializes the org's writers (PostgreSQL row lock); `shared` (key share) only waits
 * for and holds off exclusive ones. SQLite already serializes writers.
 */
export type OrgLock = 'exclusive' | 'shared';

const orgExists = precompiled((db, orgId: number) => db.selectFrom('orgs').select('id').where('id', '=', orgId));

/** Locks an org row for the rest of the transaction; false when it does not exist. */
export async function lockOrgRow(db: Db, dialect: Dialect, orgId: number, lock: OrgLock): Promise<boolean> {
  if (dialect === 'postgres') {
    const r =
      lock === 'exclusive'
        ? await sql<{ id: number }>`select id from orgs where id = ${orgId} for update`.execute(db)
        : await sql<{ id: number }>`select id from orgs where id = ${orgId} for key share`.execute(db);
    return r.rows.length > 0;
  }
  return (await orgExists(db, orgId)).length > 0;
}
