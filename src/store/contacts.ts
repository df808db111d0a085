// A user's contact columns (timezone, phone) and the slack_identities table.
import type { Db } from './db.ts';

export async function contactRows(db: Db, userIds: number[]) {
  return db.selectFrom('users').select(['id', 'timezone', 'phone_number', 'phone_verified', 'phone_private']).where('id', 'in', userIds).execute();
}

export async function slackIdentitiesOf(db: Db, userIds: number[]) {
  return db.selectFrom('slack_identities').select(['user_id', 'slack_user_id', 'slack_team_id']).where('user_id', 'in', userIds).orderBy('id').execute();
}

export async function contactOf(db: Db, userId: number) {
  return db.selectFrom('users').select(['phone_number', 'phone_verified', 'phone_private', 'timezone']).where('id', '=', userId).executeTakeFirst();
}

export async function updateContactColumns(
  db: Db,
  userId: number,
  set: { timezone?: string | null; phone_private?: 0 | 1; phone_number: string | null; phone_verified: 0 | 1; updated_at: string },
): Promise<void> {
  await db.updateTable('users').set(set).where('id', '=', userId).execute();
}

/** Replaces a user's Slack identities. */
export async function replaceSlackIdentities(db: Db, userId: number, identities: { slackUserId: string; slackTeamId: string }[]): Promise<void> {
  await db.deleteFrom('slack_identities').where('user_id', '=', userId).execute();
  if (identities.length) {
    await db
      .insertInto('slack_identities')
      .values(identities.map((s) => ({ user_id: userId, slack_user_id: s.slackUserId, slack_team_id: s.slackTeamId })))
      .execute();
  }
}
