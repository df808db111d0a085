// Self-service email changes (Grafana's verify_email flow): the new address takes effect only
// when its owner follows the link mailed to it, so nobody can claim an address they cannot read
// (invites are accepted by address: domain/invites.ts). Codes are random, single use, expire,
// and only their keyed hash is stored.
import { audit, type Actor } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, type Ctx, type Db } from './context.ts';
import { conflict, invalid } from './errors.ts';
import { newOneTimeCode } from './secrets.ts';
import { targetUser } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { emailVerificationMessage } from '../mail/messages.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { isUniqueViolation } from '../store/errors.ts';
import type { UserRow } from '../store/schema.ts';
import * as verificationsStore from '../store/email-verifications.ts';
import { addressTakenByOther, findUserById, updateUserReturning } from '../store/users.ts';

export const EMAIL_CODE_HOURS = 24;
/** Grafana's path for the link in the mail. */
export const VERIFY_PATH = '/api/user/email/update';

export const EMAIL_SENT_MESSAGE = 'Email sent for verification';

/** Another user signs in with this address (as login or email): Grafana's 409. */
async function addressTaken(db: Db, userId: number, address: string): Promise<boolean> {
  return addressTakenByOther(db, userId, address);
}

/**
 * Starts the change of `user`'s address to `email` (lower-cased, trimmed): records it as pending,
 * replacing any earlier pending change, and mails the link, in one transaction. `updateLogin`:
 * the login follows the address once confirmed. `alsoApply` runs in the same transaction (the
 * other fields of the request). Refused when this server cannot send mail.
 */
export async function requestEmailChange(ctx: Ctx, p: Actor, user: UserRow, email: string, updateLogin: boolean, alsoApply?: (trx: Db) => Promise<void>): Promise<void> {
  if (!ctx.settings.mailEnabled) {
    throw invalid(
      'user.email-change-needs-mail',
      'Email changes are confirmed by a link sent to the new address, and this server cannot send mail (ROSTER_SMTP_URL is not set); ask a server admin to change your email',
    );
  }
  if (await addressTaken(ctx.db, user.id, email)) throw conflict('user.email-taken', 'Email is already being used');
  const code = newOneTimeCode();
  const created = new Date();
  const expires = new Date(created.getTime() + EMAIL_CODE_HOURS * 3600_000);
  await inTransaction(ctx, async (trx) => {
    if (alsoApply) await alsoApply(trx);
    // A new request voids the earlier ones: only the latest link works.
    await verificationsStore.deleteVerificationsOf(trx, user.id);
    await verificationsStore.insertVerification(trx, {
      user_id: user.id,
      email,
      update_login: updateLogin ? 1 : 0,
      code_hash: ctx.hasher.hash(code),
      created_at: created.toISOString(),
      expires_at: expires.toISOString(),
    });
    const link = `${ctx.settings.publicUrl}${VERIFY_PATH}?code=${encodeURIComponent(code)}`;
    await enqueueMail(trx, emailVerificationMessage(email, user.login, link, EMAIL_CODE_HOURS));
    await audit(trx, p, { action: 'user.email.change-request', objectType: 'user', objectId: user.id, after: { email, expiresAt: expires.toISOString() } });
  });
  ctx.mailQueued?.();
}

const invalidCode = () => invalid('user.email-code-invalid', 'Invalid or expired email verification code');

/**
 * The signed-in user follows the link: the pending address becomes theirs, verified. The code
 * must be theirs (a link forwarded to, or clicked by, someone else confirms nothing), unexpired
 * and unused; it is spent by this call, and a code that has expired is deleted.
 */
export async function confirmEmailChange(ctx: Ctx, p: Principal, code: string): Promise<void> {
  const userId = await targetUser(p, 'self', 'user.self:write', 'users:write');
  if (!code || code.length > 200) throw invalidCode();
  const hash = ctx.hasher.hash(code);
  try {
    await inTransaction(ctx, async (trx) => {
      const pending = await verificationsStore.findVerificationByCode(trx, hash);
      if (!pending || pending.user_id !== userId) throw invalidCode();
      // Deleting is the claim: of two requests with the same code, one deletes the row.
      if (!(await verificationsStore.deleteVerification(trx, pending.id))) throw invalidCode();
      if (Date.parse(pending.expires_at) <= Date.now()) return 'expired';
      if (await addressTaken(trx, userId, pending.email)) throw conflict('user.email-taken', 'Email is already being used');
      const before = await findUserById(trx, userId);
      if (!before) throw new Error(`user ${userId} vanished while confirming their email`);
      const after = await updateUserReturning(trx, userId, { email: pending.email, email_verified: 1, updated_at: now(), ...(pending.update_login ? { login: pending.email } : {}) });
      await audit(trx, p, {
        action: 'user.email.verify',
        objectType: 'user',
        objectId: userId,
        before: { email: before.email, login: before.login, emailVerified: !!before.email_verified },
        after: { email: after.email, login: after.login, emailVerified: true },
      });
      return 'done';
    }).then((r) => {
      if (r === 'expired') throw invalidCode();
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('user.email-taken', 'Email is already being used');
    throw err;
  }
}

/** The caller's own address waiting for confirmation, if any (PostHog's pending_email). */
export async function pendingEmail(ctx: Ctx, p: Principal): Promise<string | null> {
  const userId = await targetUser(p, 'self', 'user.self:read', 'users:read');
  const row = await verificationsStore.pendingVerificationOf(ctx.db, userId);
  return row && Date.parse(row.expires_at) > Date.now() ? row.email : null;
}

/** An admin set the address: whatever the user had pending is void. */
export async function dropPendingEmail(trx: Db, userId: number): Promise<void> {
  await verificationsStore.deleteVerificationsOf(trx, userId);
}
