// The login_attempts table: failed sign-ins, by the budget key they count against and by address.
import type { Db } from './db.ts';

/** Failed attempts with `column` = `value` at or after `since` (ISO time). */
export async function countFailuresSince(db: Db, column: 'login' | 'ip', value: string, since: string): Promise<number> {
  const r = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(column, '=', value)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertFailure(db: Db, login: string, ip: string, createdAt: string): Promise<void> {
  await db.insertInto('login_attempts').values({ login, ip, created_at: createdAt }).execute();
}

export async function deleteFailuresBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('created_at', '<', before).execute();
}

export async function deleteFailuresOf(db: Db, login: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('login', '=', login).execute();
}
