// The teams table, each team with its member count, and searches over an org's teams.
import { sql, type Insertable } from 'kysely';
import { containsFilter } from './contains-search.ts';
import type { Db, Dialect } from './db.ts';
import type { TeamRow, TeamTable } from './schema.ts';

export type TeamWithCount = TeamRow & { memberCount: number };

/** Correlated on the outer `teams` row. */
const memberCount = () => sql<number>`(select count(*) from team_members tm where tm.team_id = teams.id)`;

/** A team of one org, or undefined; the org is part of the query. */
export async function findTeamIn(db: Db, orgId: number, teamId: number): Promise<TeamWithCount | undefined> {
  const row = await db.selectFrom('teams').selectAll('teams').select(memberCount().as('memberCount')).where('teams.org_id', '=', orgId).where('teams.id', '=', teamId).executeTakeFirst();
  return row && { ...row, memberCount: Number(row.memberCount) };
}

/** Whether the org has a team with this id. */
export async function findTeamId(db: Db, orgId: number, teamId: number): Promise<{ id: number } | undefined> {
  return db.selectFrom('teams').select('id').where('org_id', '=', orgId).where('id', '=', teamId).executeTakeFirst();
}

/** The teams a user belongs to, across their orgs, by name, with the user's permission in each. */
export async function teamsOfUser(db: Db, userId: number): Promise<(TeamWithCount & { permission: number })[]> {
  const rows = await db
    .selectFrom('teams')
    .innerJoin('team_members', 'team_members.team_id', 'teams.id')
    .selectAll('teams')
    .select('team_members.permission as permission')
    .select(memberCount().as('memberCount'))
    .where('team_members.user_id', '=', userId)
    .orderBy('teams.name')
    .execute();
  return rows.map((r) => ({ ...r, memberCount: Number(r.memberCount) }));
}

/** Another team of the org (not `exceptId`) with this exact name. */
export async function teamNameTaken(db: Db, orgId: number, name: string, exceptId = 0): Promise<boolean> {
  const row = await db.selectFrom('teams').select('id').where('org_id', '=', orgId).where('name', '=', name).where('id', '!=', exceptId).executeTakeFirst();
  return !!row;
}

export async function insertTeam(db: Db, values: Insertable<TeamTable>): Promise<TeamRow> {
  return db.insertInto('teams').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateTeamRow(db: Db, orgId: number, id: number, patch: { name?: string; email: string; updated_at: string }): Promise<void> {
  await db.updateTable('teams').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

/** Deletes a team with its memberships. */
export async function deleteTeamRow(db: Db, orgId: number, id: number): Promise<void> {
  await db.deleteFrom('team_members').where('team_id', '=', id).execute();
  await db.deleteFrom('teams').where('org_id', '=', orgId).where('id', '=', id).execute();
}

export type TeamSort = 'name' | 'email' | 'memberCount';

export interface TeamFilter {
  /** Case-insensitive substring of the name. */
  query?: string;
  /** Case-insensitive exact name. */
  name?: string;
  limit: number;
  offset: number;
  sort: { key: TeamSort; desc: boolean }[];
}

/**
 * An org's teams (`limited`: those `userId` belongs to and those `limited.alsoIds` names), one
 * page, with `userId`'s permission in each (null when not a member), and how many match.
 * Undefined when `limited` and none of the org's teams is among them.
 */
export async function selectTeams(
  db: Db,
  dialect: Dialect,
  orgId: number,
  userId: number,
  limited: { alsoIds: readonly number[] } | null,
  q: TeamFilter,
): Promise<{ total: number; rows: (TeamWithCount & { permission: number | null })[] } | undefined> {
  let base = db.selectFrom('teams').where('teams.org_id', '=', orgId);
  if (limited) {
    const { alsoIds } = limited;
    base = base.where((eb) => eb.or([eb('teams.id', 'in', eb.selectFrom('team_members').select('team_id').where('user_id', '=', userId)), ...(alsoIds.length ? [eb('teams.id', 'in', alsoIds)] : [])]));
    if (!(await base.select('teams.id').limit(1).executeTakeFirst())) return undefined;
  }
  if (q.query) base = base.where(await containsFilter(db, dialect, 'teams', q.query));
  if (q.name) base = base.where(sql<boolean>`lower(teams.name) = ${q.name.toLowerCase()}`);
  let sel = base
    .selectAll('teams')
    .select(memberCount().as('memberCount'))
    .select((eb) => eb.selectFrom('team_members as me').select('me.permission').whereRef('me.team_id', '=', 'teams.id').where('me.user_id', '=', userId).as('permission'));
  for (const s of q.sort) {
    const dir = s.desc ? 'desc' : 'asc';
    if (s.key === 'memberCount') sel = sel.orderBy(sql.ref('memberCount'), dir);
    else sel = sel.orderBy(sql`lower(${sql.ref(`teams.${s.key}`)})`, dir);
  }
  const rows = await sel
    .orderBy(sql`lower(teams.name)`)
    .orderBy('teams.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { total: Number(n), rows: rows.map((r) => ({ ...r, memberCount: Number(r.memberCount) })) };
}

export interface OrgTeamFilter {
  /** Exact, case-sensitive name. */
  name?: string;
  publicId?: string;
  limit?: number;
  offset?: number;
}

function orgTeamQuery(db: Db, orgId: number, q: OrgTeamFilter) {
  let sel = db.selectFrom('teams').where('org_id', '=', orgId);
  if (q.name) sel = sel.where('name', '=', q.name);
  if (q.publicId !== undefined) sel = sel.where('public_id', '=', q.publicId);
  return sel;
}

/** An org's teams in creation order, one page, and how many match. */
export async function selectOrgTeams(db: Db, orgId: number, q: OrgTeamFilter): Promise<{ total: number; teams: TeamRow[] }> {
  const base = orgTeamQuery(db, orgId, q);
  let sel = base.selectAll().orderBy('id');
  if (q.limit) sel = sel.limit(q.limit);
  if (q.offset) sel = sel.offset(q.offset);
  const teams = await sel.execute();
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { total, teams };
}

export async function findOrgTeamRow(db: Db, orgId: number, q: OrgTeamFilter): Promise<TeamRow | undefined> {
  return orgTeamQuery(db, orgId, q).selectAll().executeTakeFirst();
}
