// Team membership: only members of the team's org can join it; a user leaving the org leaves its
// teams (members.ts removeMember). The org lock serializes both.
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, lockOrg, type Ctx } from './context.ts';
import { conflict, notFound } from './errors.ts';
import type { Principal } from './principal.ts';
import { TEAM_ADMIN, TEAM_MEMBER } from './policy/index.ts';
import { callerTeamPermission, findTeam, teamAccess, teamFor } from './teams.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { isMember, membersAmong } from '../store/org-members.ts';
import { deleteTeamMember, insertTeamMember, insertTeamMembers, setTeamPermission, teamMemberRows, teamMembersAmong } from '../store/team-members.ts';
import { findUserByLoginOrEmail } from './user-lookup.ts';

export interface TeamMember {
  orgId: number;
  teamId: number;
  teamUid: string;
  userId: number;
  userUid: string;
  login: string;
  email: string;
  name: string;
  permission: number;
}

export async function listTeamMembers(ctx: Ctx, p: Principal, teamId: number): Promise<TeamMember[]> {
  const team = await teamFor(ctx, p, teamId, 'teams.permissions:read');
  const rows = await teamMemberRows(ctx.db, team.id);
  return rows.map((r) => ({ ...r, orgId: team.org_id, teamId: team.id, teamUid: team.uid }));
}

export async function addTeamMember(ctx: Ctx, p: Principal, teamId: number, userId: number, permission = TEAM_MEMBER): Promise<void> {
  await addTeamMembers(ctx, p, teamId, [userId], permission);
}

/**
 * Adds these users to the team with one permission, all or nothing, each audited: the first of
 * them (in order) outside the org or already in the team fails the whole. Two round trips on
 * PostgreSQL however many they are.
 */
export async function addTeamMembers(ctx: Ctx, p: Principal, teamId: number, userIds: number[], permission = TEAM_MEMBER): Promise<void> {
  try {
    await inTransaction(ctx, async (trx, commit) => {
      // One round trip: the org's lock, then the team and the caller's permission in it (what
      // teamFor decides on) and the users' places in the org and the team.
      const [orgFound, found, callerPermission, members, existing] = await Promise.all([
        lockOrg(ctx, trx, p.orgId),
        findTeam(trx, p.orgId, teamId),
        callerTeamPermission(trx, p, teamId),
        membersAmong(trx, p.orgId, userIds),
        teamMembersAmong(trx, teamId, userIds),
      ]);
      const team = await teamAccess({ ...ctx, db: trx }, p, found, callerPermission, 'teams.permissions:write');
      if (!orgFound) throw notFound('org.not-found', 'Organization not found');
      const adding = new Set<number>();
      for (const userId of userIds) {
        // Someone outside the team's org is, for this org, an unknown user.
        if (!members.has(userId)) throw notFound('user.not-found', 'User not found');
        if (existing.has(userId) || adding.has(userId)) throw conflict('team.member-exists', 'User is already added to this team');
        adding.add(userId);
      }
      await Promise.all([
        insertTeamMembers(trx, team.id, userIds, permission, now()),
        ...userIds.map((userId) => audit(trx, p, { action: 'team.member.add', objectType: 'team-member', objectId: `${team.id}:${userId}`, orgId: team.org_id, after: { permission } })),
        commit(),
      ]);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('team.member-exists', 'User is already added to this team');
    throw err;
  }
}

/** Grafana maps permission 4 to the team's Admin and anything else to Member. */
export async function updateTeamMember(ctx: Ctx, p: Principal, teamId: number, userId: number, permission: number): Promise<void> {
  const team = await teamFor(ctx, p, teamId, 'teams.permissions:write');
  const next = permission === TEAM_ADMIN ? TEAM_ADMIN : TEAM_MEMBER;
  await inTransaction(ctx, async (trx) => {
    if ((await setTeamPermission(trx, team.id, userId, next)) === 0) throw notFound('team.member-not-found', 'Team member not found');
    await audit(trx, p, { action: 'team.member.update', objectType: 'team-member', objectId: `${team.id}:${userId}`, orgId: team.org_id, after: { permission: next } });
  });
}

export async function removeTeamMember(ctx: Ctx, p: Principal, teamId: number, userId: number): Promise<void> {
  const team = await teamFor(ctx, p, teamId, 'teams.permissions:write');
  await inTransaction(ctx, async (trx) => {
    if ((await deleteTeamMember(trx, team.id, userId)) === 0) throw notFound('team.member-not-found', 'Team member not found');
    await audit(trx, p, { action: 'team.member.remove', objectType: 'team-member', objectId: `${team.id}:${userId}`, orgId: team.org_id });
  });
}

/**
 * Grafana's SetTeamMemberships (PUT /api/teams/:id/members): the team ends with exactly these
 * members and admins, named by login or email; everyone else leaves it. A name in both lists makes
 * an admin. Each must be a member of the team's org (else 404 "user not found", as for an unknown
 * user). All or nothing, under the org's lock, each change audited.
 */
export async function setTeamMemberships(ctx: Ctx, p: Principal, teamId: number, wanted: { members: string[]; admins: string[] }): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const [orgFound, found, callerPermission] = await Promise.all([lockOrg(ctx, trx, p.orgId), findTeam(trx, p.orgId, teamId), callerTeamPermission(trx, p, teamId)]);
    const team = await teamAccess({ ...ctx, db: trx }, p, found, callerPermission, 'teams.permissions:write');
    if (!orgFound) throw notFound('org.not-found', 'Organization not found');
    const desired = new Map<number, number>();
    for (const [names, permission] of [
      [wanted.members, TEAM_MEMBER],
      [wanted.admins, TEAM_ADMIN],
    ] as const) {
      for (const name of names) {
        const user = await findUserByLoginOrEmail(trx, name);
        if (!user || !(await isMember(trx, team.org_id, user.id))) throw notFound('user.not-found', 'user not found');
        if (desired.get(user.id) !== TEAM_ADMIN) desired.set(user.id, permission);
      }
    }
    const ts = now();
    const current = new Map((await teamMemberRows(trx, team.id)).map((r) => [r.userId, r.permission]));
    const change = (userId: number, action: string, after?: object) =>
      audit(trx, p, { action, objectType: 'team-member', objectId: `${team.id}:${userId}`, orgId: team.org_id, ...(after ? { after } : {}) });
    for (const userId of current.keys()) {
      if (desired.has(userId)) continue;
      await deleteTeamMember(trx, team.id, userId);
      await change(userId, 'team.member.remove');
    }
    for (const [userId, permission] of desired) {
      const had = current.get(userId);
      if (had === permission) continue;
      if (had === undefined) await insertTeamMember(trx, team.id, userId, permission, ts);
      else await setTeamPermission(trx, team.id, userId, permission);
      await change(userId, had === undefined ? 'team.member.add' : 'team.member.update', { permission });
    }
  });
}
