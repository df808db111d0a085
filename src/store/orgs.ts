// The orgs table: lookups, the name search, inserts, updates, deletes.
import { sql, type Insertable } from 'kysely';
import type { Db, Dialect } from './db.ts';
import { precompiled } from './precompiled.ts';
import type { OrgRow, OrgTable, OrgUpdate } from './schema.ts';
import { ilike, likePattern } from './text-match.ts';

// Read on nearly every request (GET /api/org and each face's current org).
const orgById = precompiled((db, id: number) => db.selectFrom('orgs').selectAll().where('id', '=', id));

export async function findOrgById(db: Db, id: number): Promise<OrgRow | undefined> {
  return (await orgById(db, id))[0];
}

export async function findOrgBy(db: Db, column: 'name' | 'public_id' | 'uuid' | 'slug', value: string): Promise<OrgRow | undefined> {
  return db.selectFrom('orgs').selectAll().where(column, '=', value).executeTakeFirst();
}

export async function anyOrgExists(db: Db): Promise<boolean> {
  return !!(await db.selectFrom('orgs').select('id').limit(1).executeTakeFirst());
}

/** An org other than `exceptId` with this exact name or slug. */
export async function orgWith(db: Db, column: 'name' | 'slug', value: string, exceptId?: number): Promise<{ id: number } | undefined> {
  let sel = db.selectFrom('orgs').select('id').where(column, '=', value);
  if (exceptId !== undefined) sel = sel.where('id', '!=', exceptId);
  return sel.executeTakeFirst();
}

/** The columns an org listing shows. */
const LISTED = ['id', 'name', 'slug', 'created_at'] as const;
export type ListedOrg = Pick<OrgRow, (typeof LISTED)[number]>;

/** Orgs by name (binary order): `query` a case-insensitive name prefix, `name` exact, `after` a name to start after. */
export async function selectOrgPage(db: Db, dialect: Dialect, q: { query?: string; name?: string; limit: number; offset: number; after?: string }): Promise<ListedOrg[]> {
  let sel = db.selectFrom('orgs').select(LISTED);
  if (q.after !== undefined) sel = sel.where('name', '>', q.after);
  if (q.query) {
    sel = sel.where(ilike('name', likePattern(q.query, 'prefix')));
    // SQLite cannot use an expression index for LIKE; the same prefix as a range can
    // (index orgs_name_lower, migration 0005). PostgreSQL uses that index for the LIKE itself.
    const range = dialect === 'sqlite' ? prefixRange(q.query.toLowerCase()) : undefined;
    if (range) sel = sel.where(sql<boolean>`lower(name) >= ${range[0]} and lower(name) < ${range[1]}`);
  }
  if (q.name) sel = sel.where('name', '=', q.name);
  return sel.orderBy('name').limit(q.limit).offset(q.offset).execute();
}

/**
 * [p, p with its last code point incremented): exactly the strings starting with p in binary
 * (code point) order, as SQLite compares. Undefined when there is no such bound.
 */
function prefixRange(p: string): [string, string] | undefined {
  const chars = [...p];
  const last = chars.pop();
  if (last === undefined) return undefined;
  const code = last.codePointAt(0)! + 1;
  // Skip the surrogate block and the end of Unicode: no bound then, the LIKE alone filters.
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return [p, chars.join('') + String.fromCodePoint(code)];
}

export async function insertOrgRow(db: Db, values: Insertable<OrgTable>): Promise<OrgRow> {
  return db.insertInto('orgs').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateOrgReturning(db: Db, id: number, patch: OrgUpdate): Promise<OrgRow> {
  return db.updateTable('orgs').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Deletes an org; its memberships and teams go by foreign-key cascade, its tokens first. */
export async function deleteOrgWithTokens(db: Db, id: number): Promise<void> {
  await db.deleteFrom('tokens').where('org_id', '=', id).execute();
  await db.deleteFrom('orgs').where('id', '=', id).execute();
}

/** The users whose current org is `orgId`. */
export async function usersInCurrentOrg(db: Db, orgId: number): Promise<number[]> {
  return (await db.selectFrom('users').select('id').where('org_id', '=', orgId).execute()).map((r) => r.id);
}

/** Every org's id, in id order (single sign-on's `*` org mapping). */
export async function allOrgIds(db: Db): Promise<number[]> {
  return (await db.selectFrom('orgs').select('id').orderBy('id').execute()).map((r) => r.id);
}
