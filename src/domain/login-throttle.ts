// Grafana's brute-force protection, with two budgets counted in the database (so every process
// sees the same attempts): 5 failed sign-ins per account within 5 minutes block that account,
// whichever alias (login or email, any case) was typed; 50 failed sign-ins from one client
// address within the same window block that address for every account. A successful sign-in
// clears the account's failures. See docs/sessions-and-login.md.
import type { Db } from './context.ts';
import { verifyPassword } from './secrets.ts';
import { hasControlCharacters } from './text.ts';
import { charLength, LIMITS } from './limits.ts';
import { countFailuresSince, deleteFailuresBefore, deleteFailuresOf, insertFailure } from '../store/login-attempts.ts';

export const MAX_FAILED_LOGINS = 5;
/**
 * Ten accounts' worth: enough that one address guessing across many accounts is stopped early,
 * while an office behind one NAT address survives a few people mistyping.
 */
export const MAX_FAILED_LOGINS_PER_IP = 50;
export const LOGIN_WINDOW_MS = 5 * 60 * 1000;

/**
 * The budget a sign-in draws on: the account's login when the typed alias names an account, so
 * its login and its email share one budget; otherwise the alias as typed, so an unknown name is
 * throttled exactly like a known one and the answers do not tell them apart.
 */
export function budgetKey(typed: string, user: { login: string } | undefined): string {
  return (user ? user.login : typed).trim().toLowerCase();
}

const since = (nowMs: number) => new Date(nowMs - LOGIN_WINDOW_MS).toISOString();

async function failures(db: Db, column: 'login' | 'ip', value: string, nowMs: number): Promise<number> {
  return countFailuresSince(db, column, value, since(nowMs));
}

export async function isLoginBlocked(db: Db, key: string, ip: string, nowMs = Date.now()): Promise<boolean> {
  if ((await failures(db, 'login', key, nowMs)) >= MAX_FAILED_LOGINS) return true;
  return (await failures(db, 'ip', ip, nowMs)) >= MAX_FAILED_LOGINS_PER_IP;
}

/** Only the client address's budget: for failures that name no account yet (single sign-on before it knows the account, a wrong reset code). */
export async function isAddressBlocked(db: Db, ip: string, nowMs = Date.now()): Promise<boolean> {
  return (await failures(db, 'ip', ip, nowMs)) >= MAX_FAILED_LOGINS_PER_IP;
}

/**
 * The key failures that name no account are recorded under: it holds a control character, which
 * no login can, so it is never an account's budget.
 */
export const NO_ACCOUNT_KEY = '\u0001no-account';

export async function recordFailedLogin(db: Db, key: string, ip: string): Promise<void> {
  await insertFailure(db, key, ip, new Date().toISOString());
  // Old attempts are of no use; trimming them here keeps the table small without a job.
  await deleteFailuresBefore(db, new Date(Date.now() - 2 * LOGIN_WINDOW_MS).toISOString());
}

export async function clearFailedLogins(db: Db, key: string): Promise<void> {
  await deleteFailuresOf(db, key);
}

export type LoginCheck<U> = { check: 'ok'; user: U } | { check: 'bad-credentials' } | { check: 'blocked' } | { check: 'second-factor-required' | 'bad-second-factor'; user: U };

/**
 * A sign-in's second step, once the password is right: 'ok' (none needed, or the code passed),
 * 'required' (the account needs a code and none was given: neither a failure nor a success),
 * 'bad' (a wrong or reused code: a failure, counted like a wrong password).
 */
export type SecondStep<U> = (user: U) => Promise<'ok' | 'required' | 'bad'>;

/**
 * Signs a typed alias and password in, under the throttle. A control character (NUL included)
 * in either, or either longer than any login, email or password can be, is never a valid
 * credential: refused before any lookup (PostgreSQL refuses NUL in text) and not counted (a
 * 70,000-character name is not worth a row). A blocked account or address is refused before any KDF
 * work. Otherwise the KDF runs once whether or not the account exists or has a password
 * (secrets.ts verifyPassword), a failure is counted, a success clears the account's count.
 * `second`: the second factor's check, for an account that has one (two-factor.ts).
 */
export async function checkLogin<U extends { login: string; password_hash: string | null }>(
  db: Db,
  typed: string,
  password: string,
  ip: string,
  lookup: (typed: string) => Promise<U | undefined> | U | undefined,
  second?: SecondStep<U>,
): Promise<LoginCheck<U>> {
  if (hasControlCharacters(typed) || hasControlCharacters(password)) return { check: 'bad-credentials' };
  if (charLength(typed) > LIMITS['user.login'] || charLength(password) > LIMITS['user.password']) return { check: 'bad-credentials' };
  const user = await lookup(typed);
  const key = budgetKey(typed, user);
  if (await isLoginBlocked(db, key, ip)) return { check: 'blocked' };
  const verified = await verifyPassword(password, user?.password_hash ?? null);
  if (!user || !verified) {
    await recordFailedLogin(db, key, ip);
    return { check: 'bad-credentials' };
  }
  // The account's failures are cleared only once every factor passed: a known password alone
  // must not reset the budget that limits guessing the second factor.
  const step = second ? await second(user) : 'ok';
  if (step === 'required') return { check: 'second-factor-required', user };
  if (step === 'bad') {
    await recordFailedLogin(db, key, ip);
    return { check: 'bad-second-factor', user };
  }
  await clearFailedLogins(db, key);
  return { check: 'ok', user };
}
