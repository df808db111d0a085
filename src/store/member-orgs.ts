// A user's orgs, read through their memberships, with the user's role in each.
import { sql } from 'kysely';
import type { Db } from './db.ts';

/** The orgs a user belongs to, by name (case-insensitive), then id. */
export async function orgsOfUser(db: Db, userId: number) {
  return db
    .selectFrom('org_members')
    .innerJoin('orgs', 'orgs.id', 'org_members.org_id')
    .select(['orgs.id as orgId', 'orgs.name as name', 'org_members.role as role', 'org_members.is_owner as isOwner'])
    .where('org_members.user_id', '=', userId)
    .orderBy(sql`lower(orgs.name)`)
    .orderBy('orgs.id')
    .execute();
}

/** Which of these org uuids (lower-case) name orgs the user belongs to. */
export async function memberOrgUuidsAmong(db: Db, userId: number, uuids: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('org_members')
    .innerJoin('orgs', 'orgs.id', 'org_members.org_id')
    .select('orgs.uuid')
    .where('org_members.user_id', '=', userId)
    .where('orgs.uuid', 'in', uuids)
    .execute();
  return rows.map((r) => r.uuid);
}

function memberOrgQuery(db: Db, userId: number, onlyUuids: string[] | null) {
  let sel = db.selectFrom('orgs').innerJoin('org_members', 'org_members.org_id', 'orgs.id').where('org_members.user_id', '=', userId);
  if (onlyUuids) sel = sel.where('orgs.uuid', 'in', onlyUuids);
  return sel;
}

/** The user's orgs (`onlyUuids`: among these) in creation order, each with the user's role and owner flag; one page and the total. */
export async function selectMemberOrgs(db: Db, userId: number, onlyUuids: string[] | null, page: { limit: number; offset: number }) {
  const base = memberOrgQuery(db, userId, onlyUuids);
  const rows = await base.selectAll('orgs').select(['org_members.role as member_role', 'org_members.is_owner as member_is_owner']).orderBy('orgs.id').limit(page.limit).offset(page.offset).execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { total: Number(total.n), rows };
}

/** One of the user's orgs by (lower-case) uuid, with the user's role and owner flag. */
export async function findMemberOrg(db: Db, userId: number, onlyUuids: string[] | null, uuid: string) {
  return memberOrgQuery(db, userId, onlyUuids)
    .selectAll('orgs')
    .select(['org_members.role as member_role', 'org_members.is_owner as member_is_owner'])
    .where('orgs.uuid', '=', uuid)
    .executeTakeFirst();
}
