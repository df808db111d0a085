// Browser sessions: a random token in a cookie, only its keyed hash in the database.
import type { Ctx } from './context.ts';
import { now } from './clock.ts';
import { unauthorized } from './errors.ts';
import { newSessionToken } from './secrets.ts';
import { checkLogin } from './login-throttle.ts';
import { findUserByLoginOrEmail } from './users.ts';
import { deleteSessionByHash, insertSession } from '../store/sessions.ts';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

export async function login(ctx: Ctx, loginOrEmail: string, password: string, ip: string): Promise<{ token: string; userId: number }> {
  const result = await checkLogin(ctx.db, loginOrEmail, password, ip, (typed) => findUserByLoginOrEmail(ctx.db, typed));
  if (result.check === 'blocked') {
    throw unauthorized('auth.blocked', 'Too many consecutive incorrect login attempts for user - login for user temporarily blocked');
  }
  if (result.check !== 'ok') throw unauthorized('auth.bad-credentials', 'Invalid username or password');
  const user = result.user;
  if (user.is_disabled) throw unauthorized('auth.disabled', 'User is disabled');
  const token = newSessionToken();
  await insertSession(ctx.db, {
    hash: ctx.hasher.hash(token),
    user_id: user.id,
    created_at: now(),
    expires_at: new Date(Date.now() + SESSION_TTL_MS).toISOString(),
  });
  return { token, userId: user.id };
}

/** The shape newSessionToken makes; anything else in the cookie names no session and is never looked up. */
export function isWellFormedSessionToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export async function logout(ctx: Ctx, token: string): Promise<void> {
  if (!isWellFormedSessionToken(token)) return;
  await deleteSessionByHash(ctx.db, ctx.hasher.hash(token));
}

/** A new session for a user already signed in some other way (single sign-on); answers its token. */
export async function startSession(ctx: Ctx, userId: number): Promise<string> {
  const token = newSessionToken();
  await insertSession(ctx.db, { hash: ctx.hasher.hash(token), user_id: userId, created_at: now(), expires_at: new Date(Date.now() + SESSION_TTL_MS).toISOString() });
  return token;
}
