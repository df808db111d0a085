// Password reset by email (Grafana's forgot-password flow). Asking answers the same whether or
// not the account exists; the mailed code is random, single use, expires, and only its keyed
// hash is kept. Using it sets the new password (under the policy) and ends every session of the
// user. Wrong codes draw on the client address's failed sign-in budget (login-throttle.ts).
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, type Ctx } from './context.ts';
import { invalid } from './errors.ts';
import { isAddressBlocked, NO_ACCOUNT_KEY, recordFailedLogin } from './login-throttle.ts';
import { validateNewPassword } from './password-policy.ts';
import type { Principal } from './principal.ts';
import { hashPassword, newOneTimeCode } from './secrets.ts';
import { selfActor } from './self-actor.ts';
import { BLOCKED_MESSAGE } from './sessions.ts';
import { hasControlCharacters } from './text.ts';
import { findUserByLoginOrEmail } from './user-lookup.ts';
import { passwordResetMessage } from '../mail/messages.ts';
import { enqueueMail } from '../mail/outbox.ts';
import * as resets from '../store/password-resets.ts';
import { deleteUserSessions } from '../store/sessions.ts';
import { findUserById, updateUser } from '../store/users.ts';

/** Grafana's email_code_validity_duration default. */
export const RESET_CODE_HOURS = 2;
/** Grafana's path for the link in the mail: the console's reset page. */
export const RESET_PATH = '/user/password/reset';
/** A second mail within this long of the last one is not sent (same answer): no mailbox flooding. */
const RESEND_AFTER_MS = 60_000;

export const RESET_SENT_MESSAGE = 'Email sent';
const invalidCode = () => invalid('user.reset-code-invalid', 'Invalid or expired reset password code');

/**
 * Mails a reset link to the account `userOrEmail` names, if there is one that may sign in with a
 * password. Refused only when this server cannot send mail (true of every account alike).
 */
export async function requestPasswordReset(ctx: Ctx, userOrEmail: string, via: Principal['via']): Promise<void> {
  if (!ctx.settings.mailEnabled) {
    throw invalid('user.password-reset-needs-mail', 'Password reset by email is not available: this server cannot send mail (ROSTER_SMTP_URL is not set); ask a server admin to set a new password');
  }
  if (!userOrEmail.trim() || userOrEmail.length > 320 || hasControlCharacters(userOrEmail)) return;
  const user = await findUserByLoginOrEmail(ctx.db, userOrEmail);
  // No mail for an account that does not exist, is disabled, has no address, or signs in only
  // through single sign-on (no password: a reset would give it one behind the provider's back).
  if (!user || user.is_disabled || !user.email.includes('@') || !user.password_hash) return;
  const latest = await resets.latestPasswordReset(ctx.db, user.id);
  if (latest && Date.parse(latest.created_at) + RESEND_AFTER_MS > Date.now()) return;
  const code = newOneTimeCode();
  const created = new Date();
  const expires = new Date(created.getTime() + RESET_CODE_HOURS * 3600_000);
  await inTransaction(ctx, async (trx) => {
    await resets.deleteExpiredPasswordResets(trx, created.toISOString());
    await resets.insertPasswordReset(trx, { user_id: user.id, code_hash: ctx.hasher.hash(code), created_at: created.toISOString(), expires_at: expires.toISOString() });
    const link = `${ctx.settings.publicUrl}${RESET_PATH}?code=${encodeURIComponent(code)}`;
    await enqueueMail(trx, passwordResetMessage(user.email, user.login, link, RESET_CODE_HOURS));
    await audit(trx, selfActor(user, via), { action: 'user.password.reset-request', objectType: 'user', objectId: user.id, after: { expiresAt: expires.toISOString() } });
  });
  ctx.mailQueued?.();
}

/** Sets a new password with a mailed code: the code is spent, every session of the user ends. */
export async function resetPassword(ctx: Ctx, input: { code: string; newPassword: string; confirmPassword: string }, ip: string, via: Principal['via']): Promise<void> {
  if (await isAddressBlocked(ctx.db, ip)) throw invalid('auth.blocked', BLOCKED_MESSAGE);
  const { code } = input;
  // Not the shape of any code (newOneTimeCode): refused without a query or a counted failure, as
  // a sign-in with an impossible name is.
  if (!/^[A-Za-z0-9_-]{43}$/.test(code)) throw invalidCode();
  const pending = await resets.findPasswordReset(ctx.db, ctx.hasher.hash(code));
  if (!pending || Date.parse(pending.expires_at) <= Date.now()) return refuse(ctx, ip, via, pending?.user_id);
  if (input.newPassword !== input.confirmPassword) throw invalid('user.password-confirm-mismatch', 'Passwords do not match');
  validateNewPassword(ctx, input.newPassword);
  const hash = await hashPassword(input.newPassword);
  const spent = await inTransaction(ctx, async (trx) => {
    // Deleting is the claim: of two requests with the same code, one deletes the row.
    if (!(await resets.deletePasswordReset(trx, pending.id))) return false;
    const user = await findUserById(trx, pending.user_id);
    if (!user) return false;
    await updateUser(trx, user.id, { password_hash: hash, updated_at: now() });
    await resets.deletePasswordResetsOf(trx, user.id);
    await deleteUserSessions(trx, user.id);
    await audit(trx, selfActor(user, via), { action: 'user.password.reset', objectType: 'user', objectId: user.id });
    return true;
  });
  if (!spent) return refuse(ctx, ip, via, pending.user_id);
}

/** A wrong, spent or expired code: counted against the address, audited, refused. */
async function refuse(ctx: Ctx, ip: string, via: Principal['via'], userId: number | undefined): Promise<never> {
  await recordFailedLogin(ctx.db, NO_ACCOUNT_KEY, ip);
  const user = userId === undefined ? undefined : await findUserById(ctx.db, userId);
  await audit(ctx.db, user ? selfActor(user, via) : null, { action: 'user.password.reset-failed', objectType: 'user', objectId: user?.id ?? 'unknown', after: { ip } });
  throw invalidCode();
}
