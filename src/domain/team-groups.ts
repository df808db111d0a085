// Grafana's team sync: a team linked to external groups (the identity provider's group names)
// gets the members of those groups at each single sign-on, and loses those who left them.
import { audit, type Actor } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, lockLiveOrg, type Ctx, type Db } from './context.ts';
import { invalid, notFound } from './errors.ts';
import { limitLength } from './limits.ts';
import type { Principal } from './principal.ts';
import { hasControlCharacters } from './text.ts';
import { findTeam, teamFor } from './teams.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { teamPermissionOf, deleteTeamMember } from '../store/team-members.ts';
import { deleteTeamGroup, insertSyncedTeamMember, insertTeamGroup, syncedTeamsOf, teamGroupRows, teamsOfGroupsForMember } from '../store/team-groups.ts';

export interface TeamGroup {
  orgId: number;
  teamId: number;
  groupId: string;
}

export async function listTeamGroups(ctx: Ctx, p: Principal, teamId: number): Promise<TeamGroup[]> {
  const team = await teamFor(ctx, p, teamId, 'teams.permissions:read');
  return teamGroupRows(ctx.db, team.id);
}

function validGroupId(groupId: unknown): string {
  if (typeof groupId !== 'string' || groupId.trim() === '' || hasControlCharacters(groupId)) throw invalid('team.group-invalid', 'groupId is required');
  return limitLength('team.group', groupId.trim(), 'groupId');
}

export async function addTeamGroup(ctx: Ctx, p: Principal, teamId: number, groupIdInput: unknown): Promise<void> {
  // The team and the caller's right to it first, as Grafana's middleware does.
  const team = await teamFor(ctx, p, teamId, 'teams.permissions:write');
  const groupId = validGroupId(groupIdInput);
  try {
    await inTransaction(ctx, async (trx) => {
      await lockLiveOrg(ctx, trx, team.org_id);
      if (!(await findTeam(trx, team.org_id, team.id))) throw notFound('team.not-found', 'Team not found');
      await insertTeamGroup(trx, team.org_id, team.id, groupId, now());
      await audit(trx, p, { action: 'team.group.add', objectType: 'team', objectId: team.id, orgId: team.org_id, after: { groupId } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw invalid('team.group-exists', 'Group is already added to this team');
    throw err;
  }
}

export async function removeTeamGroup(ctx: Ctx, p: Principal, teamId: number, groupIdInput: unknown): Promise<void> {
  const team = await teamFor(ctx, p, teamId, 'teams.permissions:write');
  const groupId = validGroupId(groupIdInput);
  await inTransaction(ctx, async (trx) => {
    if ((await deleteTeamGroup(trx, team.id, groupId)) === 0) throw notFound('team.group-not-found', 'Group not found');
    await audit(trx, p, { action: 'team.group.remove', objectType: 'team', objectId: team.id, orgId: team.org_id, before: { groupId } });
  });
}

/**
 * At a single sign-on (inside its transaction, after the user's orgs were synced): joins the
 * teams linked to the user's groups in orgs they belong to, and leaves the teams team sync had
 * put them in whose groups they no longer have. Members added by hand are left alone.
 */
export async function syncTeams(trx: Db, actor: Actor, userId: number, groups: string[]): Promise<void> {
  const wanted = await teamsOfGroupsForMember(trx, userId, groups);
  const wantedIds = new Set(wanted.map((t) => t.teamId));
  const ts = now();
  for (const t of wanted) {
    if ((await teamPermissionOf(trx, t.teamId, userId)) !== undefined) continue;
    await insertSyncedTeamMember(trx, t.teamId, userId, ts);
    await audit(trx, actor, { action: 'team.member.add', objectType: 'team-member', objectId: `${t.teamId}:${userId}`, orgId: t.orgId, after: { permission: 0, synced: true } });
  }
  for (const t of await syncedTeamsOf(trx, userId)) {
    if (wantedIds.has(t.teamId)) continue;
    if ((await deleteTeamMember(trx, t.teamId, userId)) === 0) continue;
    await audit(trx, actor, { action: 'team.member.remove', objectType: 'team-member', objectId: `${t.teamId}:${userId}`, orgId: t.orgId, before: { synced: true } });
  }
}
