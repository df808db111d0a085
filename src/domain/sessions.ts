// Browser sessions: a random token in a cookie, only its keyed hash in the database. A session
// ends after ROSTER_SESSION_IDLE_LIFETIME without a request and ROSTER_SESSION_MAX_LIFETIME after
// sign-in; its token is replaced every ROSTER_SESSION_ROTATION_INTERVAL (Grafana's
// login_maximum_inactive_lifetime_duration, login_maximum_lifetime_duration and
// token_rotation_interval_minutes). See docs/sessions-and-login.md.
import type { Ctx } from './context.ts';
import { unauthorized } from './errors.ts';
import { newSessionToken } from './secrets.ts';
import { checkLogin } from './login-throttle.ts';
import { findUserByLoginOrEmail } from './users.ts';
import { audit } from './audit.ts';
import type { Principal } from './principal.ts';
import { selfActor } from './self-actor.ts';
import { checkSecondFactor, hasTwoFactor } from './two-factor.ts';
import type { UserRow } from '../store/schema.ts';
import { deleteSessionByHash, findSessionUser, insertSession, stampSession, updateSessionIf, type SessionRow } from '../store/sessions.ts';

/** How long the token a session had before its rotation still works: requests already in flight with it. */
export const ROTATION_GRACE_MS = 60_000;
/** A session's seen time and client are written at most this often. */
const SEEN_EVERY_MS = 60_000;

/** Where a request came from, as the session list shows it. */
export interface Client {
  ip: string;
  userAgent: string | null;
}

/** 'password': signed in with a password (and second factor); 'sso': through the identity provider. */
export type AuthMethod = 'password' | 'sso';

/** Opens a session for a user who has proved who they are. */
export async function startSession(ctx: Ctx, userId: number, client: Client, method: AuthMethod = 'password'): Promise<{ token: string; id: number; maxAgeSeconds: number }> {
  const token = newSessionToken();
  const created = Date.now();
  const ts = new Date(created).toISOString();
  const id = await insertSession(ctx.db, {
    hash: ctx.hasher.hash(token),
    user_id: userId,
    created_at: ts,
    seen_at: ts,
    rotated_at: ts,
    client_ip: client.ip,
    user_agent: client.userAgent?.slice(0, 500) ?? null,
    auth_method: method,
    expires_at: new Date(created + ctx.settings.sessions.maxMs).toISOString(),
  });
  return { token, id, maxAgeSeconds: Math.floor(ctx.settings.sessions.maxMs / 1000) };
}

export const BLOCKED_MESSAGE = 'Too many consecutive incorrect login attempts for user - login for user temporarily blocked';
export const SECOND_FACTOR_REQUIRED_MESSAGE = 'Second factor required: send the 6-digit code from your authenticator app, or a recovery code, as "otp"';

/**
 * A password sign-in, under the throttle: the password, then, for an account with two-factor
 * authentication, the code `otp` (two-factor.ts). Without a code such an account is answered
 * "second factor required"; a wrong or reused code is a failed sign-in (counted and audited).
 */
export async function login(ctx: Ctx, loginOrEmail: string, password: string, client: Client, otp?: string, via?: Principal['via']): Promise<{ token: string; userId: number; maxAgeSeconds: number }> {
  let usedRecovery = false;
  const second = async (user: UserRow) => {
    if (!(await hasTwoFactor(ctx, user.id))) return 'ok';
    if (!otp) return 'required';
    const r = await checkSecondFactor(ctx, user, otp);
    usedRecovery = !!r.recovery;
    return r.check === 'ok' ? 'ok' : 'bad';
  };
  const result = await checkLogin(ctx.db, loginOrEmail, password, client.ip, (typed) => findUserByLoginOrEmail(ctx.db, typed), second);
  if (result.check === 'blocked') throw unauthorized('auth.blocked', BLOCKED_MESSAGE);
  if (result.check === 'bad-credentials') throw unauthorized('auth.bad-credentials', 'Invalid username or password');
  if (result.check === 'second-factor-required') throw unauthorized('auth.second-factor-required', SECOND_FACTOR_REQUIRED_MESSAGE);
  if (result.check === 'bad-second-factor') {
    await audit(ctx.db, selfActor(result.user, via), { action: 'user.login.failed', objectType: 'user', objectId: result.user.id, after: { reason: 'second-factor', ip: client.ip } });
    throw unauthorized('auth.second-factor-invalid', 'Invalid or already used two-factor code');
  }
  const user = result.user;
  if (user.is_disabled) throw unauthorized('auth.disabled', 'User is disabled');
  if (usedRecovery) await audit(ctx.db, selfActor(user, via), { action: 'user.2fa.recovery-code-used', objectType: 'user', objectId: user.id });
  const session = await startSession(ctx, user.id, client);
  return { token: session.token, userId: user.id, maxAgeSeconds: session.maxAgeSeconds };
}

/** The shape newSessionToken makes; anything else in the cookie names no session and is never looked up. */
export function isWellFormedSessionToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export async function logout(ctx: Ctx, token: string): Promise<void> {
  if (!isWellFormedSessionToken(token)) return;
  await deleteSessionByHash(ctx.db, ctx.hasher.hash(token));
}

export interface LiveSession {
  session: SessionRow;
  user: UserRow;
  /** Set when this request rotated the token: the cookie must carry it from now on. */
  rotated?: { token: string; maxAgeSeconds: number };
}

/**
 * The live session a cookie names, if any. A session past its absolute or idle end is deleted.
 * The token a session had before its last rotation works for ROTATION_GRACE_MS (requests sent
 * before the new cookie arrived). A token due for rotation is replaced here; of two requests
 * rotating at once, one wins and the other goes on with the grace.
 */
export async function resolveSession(ctx: Ctx, token: string, client: Client): Promise<LiveSession | undefined> {
  const hash = ctx.hasher.hash(token);
  const found = await findSessionUser(ctx.db, hash);
  if (!found) return undefined;
  const { session } = found;
  const nowMs = Date.now();
  const { idleMs, rotationMs } = ctx.settings.sessions;
  const seenMs = Date.parse(session.seen_at ?? session.created_at);
  if (Date.parse(session.expires_at) <= nowMs || seenMs + idleMs <= nowMs) {
    await deleteSessionByHash(ctx.db, session.hash);
    return undefined;
  }
  if (session.hash !== hash) {
    // The previous token: only within the grace after the rotation that replaced it.
    return Date.parse(session.rotated_at ?? session.created_at) + ROTATION_GRACE_MS > nowMs ? found : undefined;
  }
  const ts = new Date(nowMs).toISOString();
  const seen = { seen_at: ts, client_ip: client.ip, user_agent: client.userAgent?.slice(0, 500) ?? null };
  if (Date.parse(session.rotated_at ?? session.created_at) + rotationMs <= nowMs) {
    const next = newSessionToken();
    const nextHash = ctx.hasher.hash(next);
    if (await updateSessionIf(ctx.db, session.id, hash, { ...seen, hash: nextHash, prev_hash: hash, rotated_at: ts })) {
      Object.assign(session, seen, { hash: nextHash, prev_hash: hash, rotated_at: ts });
      return { ...found, rotated: { token: next, maxAgeSeconds: Math.max(0, Math.floor((Date.parse(session.expires_at) - nowMs) / 1000)) } };
    }
    return found;
  }
  if (nowMs - seenMs >= SEEN_EVERY_MS) {
    await stampSession(ctx.db, session.id, seen);
    Object.assign(session, seen);
  }
  return found;
}
