// The team_groups table (external groups a team is synced with) and team sync's memberships.
import type { Db } from './db.ts';

export async function teamGroupRows(db: Db, teamId: number) {
  return db.selectFrom('team_groups').select(['org_id as orgId', 'team_id as teamId', 'group_id as groupId']).where('team_id', '=', teamId).orderBy('id').execute();
}

export async function insertTeamGroup(db: Db, orgId: number, teamId: number, groupId: string, createdAt: string): Promise<void> {
  await db.insertInto('team_groups').values({ org_id: orgId, team_id: teamId, group_id: groupId, created_at: createdAt }).execute();
}

/** Answers how many rows went (0: the group was not linked). */
export async function deleteTeamGroup(db: Db, teamId: number, groupId: string): Promise<number> {
  const r = await db.deleteFrom('team_groups').where('team_id', '=', teamId).where('group_id', '=', groupId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The teams linked to any of these groups, in orgs the user belongs to. */
export async function teamsOfGroupsForMember(db: Db, userId: number, groups: string[]): Promise<{ teamId: number; orgId: number }[]> {
  if (!groups.length) return [];
  return db
    .selectFrom('team_groups')
    .innerJoin('org_members', (j) => j.onRef('org_members.org_id', '=', 'team_groups.org_id').on('org_members.user_id', '=', userId))
    .select(['team_groups.team_id as teamId', 'team_groups.org_id as orgId'])
    .where('team_groups.group_id', 'in', groups)
    .distinct()
    .orderBy('team_groups.team_id')
    .execute();
}

/** The user's memberships that team sync made, with each team's org. */
export async function syncedTeamsOf(db: Db, userId: number): Promise<{ teamId: number; orgId: number }[]> {
  return db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['teams.id as teamId', 'teams.org_id as orgId'])
    .where('team_members.user_id', '=', userId)
    .where('team_members.synced', '=', 1)
    .orderBy('teams.id')
    .execute();
}

export async function insertSyncedTeamMember(db: Db, teamId: number, userId: number, createdAt: string): Promise<void> {
  await db.insertInto('team_members').values({ team_id: teamId, user_id: userId, permission: 0, created_at: createdAt, synced: 1 }).execute();
}
