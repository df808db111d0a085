// The preferences JSON column of an org, a user or a team.
import type { Db } from './db.ts';

export type PrefsTable = 'orgs' | 'users' | 'teams';

/** The stored JSON, or undefined when there is no such row. */
export async function readPreferences(db: Db, table: PrefsTable, id: number): Promise<string | undefined> {
  return (await db.selectFrom(table).select('preferences').where('id', '=', id).executeTakeFirst())?.preferences;
}

export async function writePreferences(db: Db, table: PrefsTable, id: number, json: string): Promise<void> {
  await db.updateTable(table).set({ preferences: json }).where('id', '=', id).execute();
}
