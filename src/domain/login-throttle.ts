// Grafana's brute-force protection: after 5 failed sign-ins for a login within 5 minutes,
// that login is blocked until the window passes. Counted in the database, so every process
// sees the same attempts; a successful sign-in clears them.
import type { Db } from './context.ts';
import { verifyPassword } from './secrets.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOGIN_WINDOW_MS = 5 * 60 * 1000;

const key = (login: string) => login.trim().toLowerCase();

export async function isLoginBlocked(db: Db, login: string, nowMs = Date.now()): Promise<boolean> {
  const since = new Date(nowMs - LOGIN_WINDOW_MS).toISOString();
  const r = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('login', '=', key(login))
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n) >= MAX_FAILED_LOGINS;
}

export async function recordFailedLogin(db: Db, login: string, ip: string): Promise<void> {
  await db.insertInto('login_attempts').values({ login: key(login), ip, created_at: new Date().toISOString() }).execute();
  // Old attempts are of no use; trimming them here keeps the table small without a job.
  await db.deleteFrom('login_attempts').where('created_at', '<', new Date(Date.now() - 2 * LOGIN_WINDOW_MS).toISOString()).execute();
}

export async function clearFailedLogins(db: Db, login: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('login', '=', key(login)).execute();
}

export type LoginCheck = 'ok' | 'bad-credentials' | 'blocked';

/**
 * Checks a password against a user found by the typed login, under the throttle: a blocked
 * login is refused before any KDF work, a failure is counted, a success clears the count.
 */
export async function checkLogin(
  db: Db,
  typedLogin: string,
  user: { password_hash: string | null } | undefined,
  password: string,
  ip: string,
): Promise<LoginCheck> {
  if (await isLoginBlocked(db, typedLogin)) return 'blocked';
  if (!user || !(await verifyPassword(password, user.password_hash))) {
    await recordFailedLogin(db, typedLogin, ip);
    return 'bad-credentials';
  }
  await clearFailedLogins(db, typedLogin);
  return 'ok';
}
