// The team_members table: who is in which team with which permission.
import { batches } from './batches.ts';
import type { Db } from './db.ts';

/** The user's permission in the team, or undefined when not a member. */
export async function teamPermissionOf(db: Db, teamId: number, userId: number): Promise<number | undefined> {
  return (await db.selectFrom('team_members').select('permission').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst())?.permission;
}

/** Which of these users are members of the team. */
export async function teamMembersAmong(db: Db, teamId: number, userIds: number[]): Promise<Set<number>> {
  const found = await Promise.all(batches(userIds).map((ids) => db.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).where('user_id', 'in', ids).execute()));
  return new Set(found.flat().map((r) => r.user_id));
}

export async function insertTeamMember(db: Db, teamId: number, userId: number, permission: number, createdAt: string): Promise<void> {
  await insertTeamMembers(db, teamId, [userId], permission, createdAt);
}

/** A statement per BATCH of them (batches.ts), issued together. */
export async function insertTeamMembers(db: Db, teamId: number, userIds: number[], permission: number, createdAt: string): Promise<void> {
  await Promise.all(
    batches(userIds).map((ids) =>
      db
        .insertInto('team_members')
        .values(ids.map((userId) => ({ team_id: teamId, user_id: userId, permission, created_at: createdAt })))
        .execute(),
    ),
  );
}

/** Answers how many rows changed (0: not a member). */
export async function setTeamPermission(db: Db, teamId: number, userId: number, permission: number): Promise<number> {
  const r = await db.updateTable('team_members').set({ permission }).where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Answers how many rows went (0: not a member). */
export async function deleteTeamMember(db: Db, teamId: number, userId: number): Promise<number> {
  const r = await db.deleteFrom('team_members').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** A team's members by login, then email. */
export async function teamMemberRows(db: Db, teamId: number) {
  return db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select(['users.id as userId', 'users.uid as userUid', 'users.login as login', 'users.email as email', 'users.name as name', 'team_members.permission as permission'])
    .where('team_members.team_id', '=', teamId)
    .orderBy('users.login')
    .orderBy('users.email')
    .execute();
}

/** For each of these users, the public ids of their teams in one org, in team creation order. */
export async function teamPublicIdRows(db: Db, orgId: number, userIds: number[]) {
  return db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['team_members.user_id as userId', 'teams.public_id as publicId'])
    .where('teams.org_id', '=', orgId)
    .where('team_members.user_id', 'in', userIds)
    .orderBy('teams.id')
    .execute();
}

/** Whether the user holds `permission` in some team of the org. */
export async function holdsTeamPermissionIn(db: Db, orgId: number, userId: number, permission: number): Promise<boolean> {
  return !!(await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select('team_members.team_id')
    .where('teams.org_id', '=', orgId)
    .where('team_members.user_id', '=', userId)
    .where('team_members.permission', '=', permission)
    .executeTakeFirst());
}
