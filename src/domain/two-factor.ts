// TOTP second factor (RFC 6238, through otpauth): enrolment with a secret shown once as a QR
// code and confirmed with a first code, ten single-use recovery codes, the check a password
// sign-in of an enrolled user must pass, and an admin's reset. The secret is encrypted at rest
// (secret-box.ts); recovery codes are kept as keyed hashes. No code is accepted twice: the time
// step of the last accepted TOTP code is recorded, and only a later step passes. See
// docs/two-factor.md.
import { randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, type Ctx } from './context.ts';
import { conflict, invalid, notFound } from './errors.ts';
import { authorizeGlobal, requireSelf } from './policy/index.ts';
import type { Principal } from './principal.ts';
import * as store from '../store/two-factor.ts';
import { findUserById } from '../store/users.ts';
import { budgetKey, checkLogin, isLoginBlocked, recordFailedLogin } from './login-throttle.ts';

export const ISSUER = 'Roster';
export const RECOVERY_CODE_COUNT = 10;
/** Codes one step either side of now pass (clock drift between phone and server, typing time). */
const WINDOW = 1;
const PERIOD = 30;
/** Recovery code letters: no 0/o, 1/l/i to misread. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

const totpFor = (login: string, secret: OTPAuth.Secret) => new OTPAuth.TOTP({ issuer: ISSUER, label: login, algorithm: 'SHA1', digits: 6, period: PERIOD, secret });
const currentStep = () => Math.floor(Date.now() / 1000 / PERIOD);

function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** A typed code: spaces and dashes dropped, lower case. */
const normalize = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();

export interface TwoFactorStatus {
  enabled: boolean;
  /** An enrolment was started and waits for its first code. */
  pending: boolean;
  recoveryCodesLeft: number;
  /** The caller's orgs that require two-factor authentication (PostHog's enforce_2fa). */
  requiredBy: number[];
  /** This caller (signed in with a password, not enrolled) is held off those orgs until they enrol. */
  held: boolean;
}

export async function twoFactorStatus(ctx: Ctx, p: Principal): Promise<TwoFactorStatus> {
  const userId = requireSelf(p, 'user.self:read');
  const row = await store.findTotp(ctx.db, userId);
  const enabled = !!row?.confirmed_at;
  const requiredBy = await enforcingOrgsOf(ctx, userId);
  return {
    enabled,
    pending: !!row && !enabled,
    recoveryCodesLeft: enabled ? await store.unusedRecoveryCodes(ctx.db, userId) : 0,
    requiredBy,
    held: requiredBy.some((id) => p.twoFactorMissingIn?.has(id)),
  };
}

/** The orgs enforcing two-factor that this user belongs to. */
async function enforcingOrgsOf(ctx: Ctx, userId: number): Promise<number[]> {
  const enforcing = await enforcingOrgs(ctx);
  if (!enforcing.length) return [];
  return store.memberOrgsAmong(ctx.db, userId, enforcing);
}

/** Every org with PostHog's enforce_2fa on. */
export async function enforcingOrgs(ctx: Pick<Ctx, 'db'>): Promise<number[]> {
  return store.enforcing2faOrgs(ctx.db);
}

/**
 * Starts (or restarts) enrolment: a new secret, shown to the user once, to be confirmed with a
 * code. The password is asked again (under the sign-in throttle), so a session left open on
 * someone else's screen cannot attach their phone to the account.
 */
export async function beginEnrolment(ctx: Ctx, p: Principal, password: string, ip: string): Promise<{ secret: string; uri: string }> {
  const userId = requireSelf(p, 'user.self:write');
  const existing = await store.findTotp(ctx.db, userId);
  if (existing?.confirmed_at) throw conflict('two-factor.enabled', 'Two-factor authentication is already enabled');
  const checked = await checkLogin(ctx.db, p.login, password, ip, () => findUserById(ctx.db, userId));
  if (checked.check === 'blocked') throw invalid('auth.blocked', 'Too many consecutive incorrect login attempts for user - login for user temporarily blocked');
  if (checked.check !== 'ok') throw invalid('user.password-mismatch', 'Invalid password');
  const user = checked.user;
  const secret = new OTPAuth.Secret({ size: 20 });
  await inTransaction(ctx, (trx) => store.putPendingTotp(trx, userId, ctx.secretBox.seal(secret.base32), now()));
  return { secret: secret.base32, uri: totpFor(user.login, secret).toString() };
}

/** The first code confirms enrolment; the answer carries the recovery codes, shown this once. */
/**
 * A code typed by a signed-in user (confirming enrolment, turning the factor off) draws on the
 * account's failed sign-in budget like a password: wrong codes are counted, a spent budget refuses.
 */
async function throttled<T>(ctx: Ctx, p: Principal, ip: string, check: () => T | null | Promise<T | null>): Promise<T> {
  const key = budgetKey(p.login, { login: p.login });
  if (await isLoginBlocked(ctx.db, key, ip)) throw invalid('auth.blocked', 'Too many consecutive incorrect login attempts for user - login for user temporarily blocked');
  const result = await check();
  if (result === null) {
    await recordFailedLogin(ctx.db, key, ip);
    throw invalid('two-factor.code-invalid', 'Invalid or already used two-factor code');
  }
  return result;
}

export async function confirmEnrolment(ctx: Ctx, p: Principal, code: string, ip: string): Promise<{ recoveryCodes: string[] }> {
  const userId = requireSelf(p, 'user.self:write');
  const row = await store.findTotp(ctx.db, userId);
  if (!row) throw invalid('two-factor.not-started', 'Start two-factor enrolment first');
  if (row.confirmed_at) throw conflict('two-factor.enabled', 'Two-factor authentication is already enabled');
  const step = await throttled(ctx, p, ip, () => matchingStep(ctx, p.login, row.secret_enc, code));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await inTransaction(ctx, async (trx) => {
    if (!(await store.confirmTotp(trx, userId, now(), step))) throw conflict('two-factor.enabled', 'Two-factor authentication is already enabled');
    await store.replaceRecoveryCodes(
      trx,
      userId,
      codes.map((c) => ctx.hasher.hash(normalize(c))),
    );
    await audit(trx, p, { action: 'user.2fa.enable', objectType: 'user', objectId: userId });
  });
  return { recoveryCodes: codes };
}

/** The time step a TOTP code matches (within the window), or null. */
function matchingStep(ctx: Ctx, login: string, secretEnc: string, code: string): number | null {
  const token = normalize(code);
  if (!/^\d{6}$/.test(token)) return null;
  const totp = totpFor(login, OTPAuth.Secret.fromBase32(ctx.secretBox.open(secretEnc)));
  const delta = totp.validate({ token, window: WINDOW });
  return delta === null ? null : currentStep() + delta;
}

export type SecondFactorCheck = 'ok' | 'invalid';

/**
 * Checks a second factor of an enrolled user: a TOTP code not older than the last one accepted,
 * or an unused recovery code (then spent).
 */
export async function checkSecondFactor(ctx: Ctx, user: { id: number; login: string }, code: string): Promise<{ check: SecondFactorCheck; recovery?: boolean }> {
  const row = await store.findTotp(ctx.db, user.id);
  if (!row?.confirmed_at || code.length > 64) return { check: 'invalid' };
  const step = matchingStep(ctx, user.login, row.secret_enc, code);
  if (step !== null) return { check: (await store.advanceTotpStep(ctx.db, user.id, step)) ? 'ok' : 'invalid' };
  const recovery = normalize(code);
  if (!/^[a-z0-9]{10}$/.test(recovery)) return { check: 'invalid' };
  return (await store.useRecoveryCode(ctx.db, user.id, ctx.hasher.hash(recovery), now())) ? { check: 'ok', recovery: true } : { check: 'invalid' };
}

export async function hasTwoFactor(ctx: Pick<Ctx, 'db'>, userId: number): Promise<boolean> {
  return store.hasConfirmedTotp(ctx.db, userId);
}

/** The user turns their second factor off, proving it with a current code (or a recovery code). */
export async function disableOwnTwoFactor(ctx: Ctx, p: Principal, code: string, ip: string): Promise<void> {
  const userId = requireSelf(p, 'user.self:write');
  if (!(await hasTwoFactor(ctx, userId))) throw invalid('two-factor.not-enabled', 'Two-factor authentication is not enabled');
  await throttled(ctx, p, ip, async () => ((await checkSecondFactor(ctx, { id: userId, login: p.login }, code)).check === 'ok' ? true : null));
  await inTransaction(ctx, async (trx) => {
    await store.deleteTwoFactor(trx, userId);
    await audit(trx, p, { action: 'user.2fa.disable', objectType: 'user', objectId: userId });
  });
}

/** A server admin removes a user's second factor (a lost phone): the user signs in with the password alone, and may enrol again. */
export async function resetTwoFactor(ctx: Ctx, p: Principal, userId: number): Promise<void> {
  authorizeGlobal(p, 'users:write');
  if (!(await findUserById(ctx.db, userId))) throw notFound('user.not-found', 'User not found');
  await inTransaction(ctx, async (trx) => {
    const removed = await store.deleteTwoFactor(trx, userId);
    await audit(trx, p, { action: 'user.2fa.reset', objectType: 'user', objectId: userId, before: { enabled: removed > 0 } });
  });
}
