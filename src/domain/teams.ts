// Teams: belong to one org, have members. Every lookup is scoped by the caller's org, so another
// org's team id is simply "not found".
import { audit } from './audit.ts';
import { authorize, can, grantedIds, resourceScope, TEAM_ADMIN, targetUser, teamGrants, type TeamAction, type UserRef } from './policy/index.ts';
import { now } from './clock.ts';
import { inTransaction, lockLiveOrg, type Ctx, type Db } from './context.ts';
import { conflict, forbidden, invalid, notFound } from './errors.ts';
import { grafanaUid, oncallId } from './ids.ts';
import { getPreferences, savePreferences, type Prefs } from './preferences.ts';
import type { Principal } from './principal.ts';
import type { TeamRow } from '../store/schema.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../store/errors.ts';
import { limitLength } from './limits.ts';
import * as teamsStore from '../store/teams.ts';
import { holdsTeamPermissionIn, insertTeamMember, teamPermissionOf } from '../store/team-members.ts';
import { isMember } from '../store/org-members.ts';
import { deleteResourceScope } from '../store/access-control.ts';
import type { TeamFilter, TeamSort } from '../store/teams.ts';
import { checkOrgQuota, readOrgQuota } from './quotas.ts';

export type { TeamSort };

export interface Team extends TeamRow {
  memberCount: number;
}

/** The teams a user (the caller, or anyone for a server admin) belongs to, across their orgs, by name, with the user's permission in each. */
export async function userTeams(ctx: Ctx, p: Principal, ref: UserRef): Promise<(Team & { permission: number })[]> {
  const userId = await targetUser(p, ref, 'user.self:read', 'users:read');
  return teamsStore.teamsOfUser(ctx.db, userId);
}

/** Whether the caller administers some team of their current org (tokens are never team members). */
export async function administersTeam(ctx: Ctx, p: Principal): Promise<boolean> {
  return p.userId !== null && holdsTeamPermissionIn(ctx.db, p.orgId, p.userId, TEAM_ADMIN);
}

/** A team of one org, or undefined; the org is part of the query. */
export async function findTeam(db: Db, orgId: number, teamId: number): Promise<Team | undefined> {
  return teamsStore.findTeamIn(db, orgId, teamId);
}

/** The caller's permission in a team, or null when not a member (tokens are never members). */
export async function teamPermission(ctx: Ctx, p: Principal, teamId: number): Promise<number | null> {
  return callerTeamPermission(ctx.db, p, teamId);
}

/** teamPermission on a given database or transaction. */
export async function callerTeamPermission(db: Db, p: Principal, teamId: number): Promise<number | null> {
  if (p.kind !== 'user' || p.userId === null) return null;
  return (await teamPermissionOf(db, teamId, p.userId)) ?? null;
}

/**
 * Finds a team in the caller's org and checks `action` on it: granted org-wide by role, or on
 * this team by membership. An unknown id is 404 for callers who could act on any team, and the
 * permission error otherwise (Grafana's RBAC middleware runs before the handler).
 */
export async function teamFor(ctx: Ctx, p: Principal, teamId: number, action: TeamAction): Promise<Team & { permission: number }> {
  const team = await findTeam(ctx.db, p.orgId, teamId);
  return teamAccess(ctx, p, team, team ? await teamPermission(ctx, p, team.id) : null, action);
}

/** teamFor's decision, on the team (in the caller's org) and the caller's permission in it, read by the caller; inside a transaction, `ctx.db` is it (the roles read there). */
export async function teamAccess(ctx: Ctx, p: Principal, team: Team | undefined, permission: number | null, action: TeamAction): Promise<Team & { permission: number }> {
  const orgWide = await can(ctx, p, action, p.orgId);
  if (!team) {
    if (orgWide) throw notFound('team.not-found', 'Team not found');
    throw forbidden(action);
  }
  // Membership grants on the team (team-admin.ts), and so may a role scoped to it (teams:id:<id>).
  if (!orgWide && !teamGrants(permission, action) && !(await can(ctx, p, action, p.orgId, { kind: 'teams', id: team.id }))) throw forbidden(action);
  return { ...team, permission: permission ?? 0 };
}

export function validateTeamName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw invalid('team.name-required', 'bad request data');
  return limitLength('team.name', name, 'name');
}

/** Creates a team in the caller's org; a user creator joins it as its admin (Grafana). */
export async function createTeam(ctx: Ctx, p: Principal, input: { name: string; email?: string }): Promise<TeamRow> {
  await authorize(ctx, p, 'teams:create', p.orgId);
  const name = validateTeamName(input.name);
  limitLength('team.email', input.email, 'email');
  try {
    return await inTransaction(ctx, async (trx, commit) => {
      // The creator joins the team, so must still belong to the org: their membership may have
      // ended since the request was authorized (another process, or a request just before).
      const creator = p.kind === 'user' && p.userId !== null ? p.userId : null;
      // One round trip: the org's lock, then what the quota, the creator and the name decide on.
      const [, quota, creatorIsMember, taken] = await Promise.all([
        lockLiveOrg(ctx, trx, p.orgId),
        readOrgQuota(trx, p.orgId, 'team'),
        creator === null || isMember(trx, p.orgId, creator),
        teamsStore.teamNameTaken(trx, p.orgId, name),
      ]);
      await checkOrgQuota(ctx, trx, p.orgId, 'team', 'exclusive', quota);
      if (!creatorIsMember) throw forbidden('teams:create');
      if (taken) throw conflict('team.name-taken', 'Team name taken');
      const ts = now();
      const team = await teamsStore.insertTeam(trx, { uid: grafanaUid(), public_id: oncallId('T'), org_id: p.orgId, name, email: input.email ?? '', created_at: ts, updated_at: ts });
      // The rest, with the commit, in one more round trip.
      await Promise.all([
        audit(trx, p, { action: 'team.create', objectType: 'team', objectId: team.id, orgId: team.org_id, after: { name: team.name, email: team.email } }),
        ...(creator === null
          ? []
          : [
              insertTeamMember(trx, team.id, creator, TEAM_ADMIN, ts),
              audit(trx, p, { action: 'team.member.add', objectType: 'team-member', objectId: `${team.id}:${creator}`, orgId: team.org_id, after: { permission: TEAM_ADMIN } }),
            ]),
        commit(),
      ]);
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
      if (patch.name && (await teamsStore.teamNameTaken(trx, team.org_id, patch.name, team.id))) throw conflict('team.name-taken', 'Team name taken');
      await teamsStore.updateTeamRow(trx, team.org_id, team.id, patch);
      await audit(trx, p, {
        action: 'team.update',
        objectType: 'team',
        objectId: team.id,
        orgId: team.org_id,
        before: { name: team.name, email: team.email },
        after: { name: patch.name ?? team.name, email: patch.email },
      });
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
    await teamsStore.deleteTeamRow(trx, team.org_id, team.id);
    await deleteResourceScope(trx, resourceScope({ kind: 'teams', id: team.id }));
    await audit(trx, p, { action: 'team.delete', objectType: 'team', objectId: team.id, orgId: team.org_id, before: { name: team.name, email: team.email } });
  });
}

export type TeamSearch = TeamFilter;

/**
 * Searches the caller's org. Callers with org-wide `teams:read` see every team; others the teams
 * they belong to and those a role grants them `teams:read` on (`teams:id:<n>`), as Grafana filters
 * by the scopes held. `permission` is the caller's own permission in each team.
 */
export async function searchTeams(ctx: Ctx, p: Principal, q: TeamSearch): Promise<{ total: number; teams: (Team & { permission: number })[] }> {
  const orgWide = await can(ctx, p, 'teams:read', p.orgId);
  const userId = p.kind === 'user' && p.userId !== null ? p.userId : -1;
  const limited = orgWide ? null : { alsoIds: await grantedIds(ctx, p, 'teams:read', p.orgId, 'teams') };
  const found = await teamsStore.selectTeams(ctx.db, ctx.dialect, p.orgId, userId, limited, q);
  // Grafana lets the search through for anyone who may read some team.
  if (!found) throw forbidden('teams:read');
  return { total: found.total, teams: found.rows.map((r) => ({ ...r, permission: r.permission ?? 0 })) };
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
