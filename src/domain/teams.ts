// Teams: belong to one org, have members. Every lookup is scoped by the caller's org, so another
// org's team id is simply "not found".
import { audit } from './audit.ts';
import { sql } from 'kysely';
import { authorize, can, TEAM_ADMIN, targetUser, teamGrants, type TeamAction, type UserRef } from './policy/index.ts';
import { now } from './clock.ts';
import { inTransaction, ilike, likePattern, lockLiveOrg, type Ctx, type Db } from './context.ts';
import { conflict, forbidden, invalid, notFound } from './errors.ts';
import { grafanaUid, oncallId } from './ids.ts';
import { getPreferences, savePreferences, type Prefs } from './preferences.ts';
import type { Principal } from './principal.ts';
import type { TeamRow } from '../store/schema.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../store/errors.ts';
import { limitLength } from './limits.ts';

export interface Team extends TeamRow {
  memberCount: number;
}

/** Correlated on the outer `teams` row. */
const memberCount = () => sql<number>`(select count(*) from team_members tm where tm.team_id = teams.id)`;

/** The teams a user (the caller, or anyone for a server admin) belongs to, across their orgs, by name, with the user's permission in each. */
export async function userTeams(ctx: Ctx, p: Principal, ref: UserRef): Promise<(Team & { permission: number })[]> {
  const userId = await targetUser(p, ref, 'user.self:read', 'users:read');
  const rows = await ctx.db
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

/** Whether the caller administers some team of their current org (tokens are never team members). */
export async function administersTeam(ctx: Ctx, p: Principal): Promise<boolean> {
  if (p.userId === null) return false;
  const row = await ctx.db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select('team_members.team_id')
    .where('teams.org_id', '=', p.orgId)
    .where('team_members.user_id', '=', p.userId)
    .where('team_members.permission', '=', TEAM_ADMIN)
    .executeTakeFirst();
  return !!row;
}

/** A team of one org, or undefined; the org is part of the query. */
export async function findTeam(db: Db, orgId: number, teamId: number): Promise<Team | undefined> {
  const row = await db
    .selectFrom('teams')
    .selectAll('teams')
    .select(memberCount().as('memberCount'))
    .where('teams.org_id', '=', orgId)
    .where('teams.id', '=', teamId)
    .executeTakeFirst();
  return row && { ...row, memberCount: Number(row.memberCount) };
}

/** The caller's permission in a team, or null when not a member (tokens are never members). */
export async function teamPermission(ctx: Ctx, p: Principal, teamId: number): Promise<number | null> {
  if (p.kind !== 'user' || p.userId === null) return null;
  const row = await ctx.db
    .selectFrom('team_members')
    .select('permission')
    .where('team_id', '=', teamId)
    .where('user_id', '=', p.userId)
    .executeTakeFirst();
  return row ? row.permission : null;
}

/**
 * Finds a team in the caller's org and checks `action` on it: granted org-wide by role, or on
 * this team by membership. An unknown id is 404 for callers who could act on any team, and the
 * permission error otherwise (Grafana's RBAC middleware runs before the handler).
 */
export async function teamFor(ctx: Ctx, p: Principal, teamId: number, action: TeamAction): Promise<Team & { permission: number }> {
  const team = await findTeam(ctx.db, p.orgId, teamId);
  const orgWide = await can(ctx, p, action, p.orgId);
  if (!team) {
    if (orgWide) throw notFound('team.not-found', 'Team not found');
    throw forbidden(action);
  }
  const permission = await teamPermission(ctx, p, team.id);
  if (!orgWide && !teamGrants(permission, action)) throw forbidden(action);
  return { ...team, permission: permission ?? 0 };
}

export function validateTeamName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw invalid('team.name-required', 'bad request data');
  return limitLength('team.name', name, 'name');
}

async function isOrgMember(db: Db, orgId: number, userId: number): Promise<boolean> {
  return !!(await db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst());
}

async function nameTaken(db: Db, orgId: number, name: string, exceptId = 0): Promise<boolean> {
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where('org_id', '=', orgId)
    .where('name', '=', name)
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  return !!row;
}

/** Creates a team in the caller's org; a user creator joins it as its admin (Grafana). */
export async function createTeam(ctx: Ctx, p: Principal, input: { name: string; email?: string }): Promise<TeamRow> {
  await authorize(ctx, p, 'teams:create', p.orgId);
  const name = validateTeamName(input.name);
  limitLength('team.email', input.email, 'email');
  try {
    return await inTransaction(ctx, async (trx) => {
      await lockLiveOrg(ctx, trx, p.orgId);
      // The creator joins the team, so must still belong to the org: their membership may have
      // ended since the request was authorized (another process, or a request just before).
      if (p.kind === 'user' && p.userId !== null && !(await isOrgMember(trx, p.orgId, p.userId))) throw forbidden('teams:create');
      if (await nameTaken(trx, p.orgId, name)) throw conflict('team.name-taken', 'Team name taken');
      const ts = now();
      const team = await trx
        .insertInto('teams')
        .values({ uid: grafanaUid(), public_id: oncallId('T'), org_id: p.orgId, name, email: input.email ?? '', created_at: ts, updated_at: ts })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, p, { action: 'team.create', objectType: 'team', objectId: team.id, orgId: team.org_id, after: { name: team.name, email: team.email } });
      if (p.kind === 'user' && p.userId !== null) {
        await trx.insertInto('team_members').values({ team_id: team.id, user_id: p.userId, permission: TEAM_ADMIN, created_at: ts }).execute();
        await audit(trx, p, { action: 'team.member.add', objectType: 'team-member', objectId: `${team.id}:${p.userId}`, orgId: team.org_id, after: { permission: TEAM_ADMIN } });
      }
      return team;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('team.name-taken', 'Team name taken');
    // The creator was deleted by a concurrent request after the membership check.
    if (isForeignKeyViolation(err)) throw forbidden('teams:create');
    throw err;
  }
}

/**
 * Grafana's update writes a non-empty name and always the email (an absent email clears it),
 * so `PUT {}` keeps the name and empties the email.
 */
export async function updateTeam(ctx: Ctx, p: Principal, teamId: number, input: { name?: string; email?: string }): Promise<void> {
  limitLength('team.name', input.name, 'name');
  limitLength('team.email', input.email, 'email');
  const team = await teamFor(ctx, p, teamId, 'teams:write');
  const patch: { name?: string; email: string; updated_at: string } = { email: input.email ?? '', updated_at: now() };
  if (input.name) patch.name = input.name;
  try {
    await inTransaction(ctx, async (trx) => {
      if (patch.name && (await nameTaken(trx, team.org_id, patch.name, team.id))) throw conflict('team.name-taken', 'Team name taken');
      await trx.updateTable('teams').set(patch).where('org_id', '=', team.org_id).where('id', '=', team.id).execute();
      await audit(trx, p, { action: 'team.update', objectType: 'team', objectId: team.id, orgId: team.org_id, before: { name: team.name, email: team.email }, after: { name: patch.name ?? team.name, email: patch.email } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('team.name-taken', 'Team name taken');
    throw err;
  }
}

export async function deleteTeam(ctx: Ctx, p: Principal, teamId: number): Promise<void> {
  const team = await teamFor(ctx, p, teamId, 'teams:delete');
  await inTransaction(ctx, async (trx) => {
    // Serialized with adding members (team-members.ts), which checks the team under the same lock.
    await lockLiveOrg(ctx, trx, team.org_id);
    if (!(await findTeam(trx, team.org_id, team.id))) throw notFound('team.not-found', 'Team not found');
    await trx.deleteFrom('team_members').where('team_id', '=', team.id).execute();
    await trx.deleteFrom('teams').where('org_id', '=', team.org_id).where('id', '=', team.id).execute();
    await audit(trx, p, { action: 'team.delete', objectType: 'team', objectId: team.id, orgId: team.org_id, before: { name: team.name, email: team.email } });
  });
}

export type TeamSort = 'name' | 'email' | 'memberCount';

export interface TeamSearch {
  /** Case-insensitive substring of the name. */
  query?: string;
  /** Case-insensitive exact name. */
  name?: string;
  limit: number;
  offset: number;
  sort: { key: TeamSort; desc: boolean }[];
}

/**
 * Searches the caller's org. Callers with org-wide `teams:read` see every team; others only the
 * teams they belong to. `permission` is the caller's own permission in each team.
 */
export async function searchTeams(ctx: Ctx, p: Principal, q: TeamSearch): Promise<{ total: number; teams: (Team & { permission: number })[] }> {
  const orgWide = await can(ctx, p, 'teams:read', p.orgId);
  const userId = p.kind === 'user' && p.userId !== null ? p.userId : -1;
  let base = ctx.db.selectFrom('teams').where('teams.org_id', '=', p.orgId);
  if (!orgWide) {
    base = base.where('teams.id', 'in', (eb) => eb.selectFrom('team_members').select('team_id').where('user_id', '=', userId));
    // Grafana lets the search through for anyone who may read some team, i.e. belongs to one.
    if (!(await base.select('teams.id').limit(1).executeTakeFirst())) throw forbidden('teams:read');
  }
  if (q.query) base = base.where(ilike('teams.name', likePattern(q.query, 'contains')));
  if (q.name) base = base.where(sql<boolean>`lower(teams.name) = ${q.name.toLowerCase()}`);
  let sel = base
    .selectAll('teams')
    .select(memberCount().as('memberCount'))
    .select((eb) =>
      eb
        .selectFrom('team_members as me')
        .select('me.permission')
        .whereRef('me.team_id', '=', 'teams.id')
        .where('me.user_id', '=', userId)
        .as('permission'),
    );
  for (const s of q.sort) {
    const dir = s.desc ? 'desc' : 'asc';
    if (s.key === 'memberCount') sel = sel.orderBy(sql.ref('memberCount'), dir);
    else sel = sel.orderBy(sql`lower(${sql.ref(`teams.${s.key}`)})`, dir);
  }
  const rows = await sel.orderBy(sql`lower(teams.name)`).orderBy('teams.id').limit(q.limit).offset(q.offset).execute();
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return {
    total: Number(n),
    teams: rows.map((r) => ({ ...r, memberCount: Number(r.memberCount), permission: r.permission ?? 0 })),
  };
}

/** Team preferences, after the team is found in the caller's org (preferences.ts looks up by id). */
export async function getTeamPreferences(ctx: Ctx, p: Principal, teamId: number): Promise<Prefs> {
  const team = await teamFor(ctx, p, teamId, 'teams:read');
  return getPreferences(ctx, p, { kind: 'team', id: team.id, orgId: team.org_id });
}

export async function saveTeamPreferences(ctx: Ctx, p: Principal, teamId: number, prefs: Prefs): Promise<void> {
  const team = await teamFor(ctx, p, teamId, 'teams:write');
  await savePreferences(ctx, p, { kind: 'team', id: team.id, orgId: team.org_id }, prefs, 'replace');
}
