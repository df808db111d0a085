// Team membership: only members of the team's org can join it; a user leaving the org leaves its
// teams (members.ts removeMember). The org lock serializes both.
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, lockLiveOrg, type Ctx } from './context.ts';
import { conflict, notFound } from './errors.ts';
import type { Principal } from './principal.ts';
import { TEAM_ADMIN, TEAM_MEMBER } from './policy/index.ts';
import { findTeam, teamFor } from './teams.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { isMember } from '../store/org-members.ts';
import { deleteTeamMember, insertTeamMember, setTeamPermission, teamMemberRows, teamPermissionOf } from '../store/team-members.ts';

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
  const team = await teamFor(ctx, p, teamId, 'teams.permissions:write');
  try {
    await inTransaction(ctx, async (trx) => {
      await lockLiveOrg(ctx, trx, team.org_id);
      // The team may have been deleted since teamFor read it.
      if (!(await findTeam(trx, team.org_id, team.id))) throw notFound('team.not-found', 'Team not found');
      // Someone outside the team's org is, for this org, an unknown user.
      if (!(await isMember(trx, team.org_id, userId))) throw notFound('user.not-found', 'User not found');
      if ((await teamPermissionOf(trx, team.id, userId)) !== undefined) throw conflict('team.member-exists', 'User is already added to this team');
      await insertTeamMember(trx, team.id, userId, permission, now());
      await audit(trx, p, { action: 'team.member.add', objectType: 'team-member', objectId: `${team.id}:${userId}`, orgId: team.org_id, after: { permission } });
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
