// Setting and changing a user's password, under the password policy (password-policy.ts).
import { audit, type Actor } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, type Ctx } from './context.ts';
import { invalid, notFound } from './errors.ts';
import { validateNewPassword } from './password-policy.ts';
import { targetUser, type UserRef } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { hashPassword, verifyPassword } from './secrets.ts';
import { getUser } from './users.ts';
import { deleteUserSessions } from '../store/sessions.ts';
import { updateUser } from '../store/users.ts';

/** A server admin sets a user's password. */
export async function setUserPassword(ctx: Ctx, p: Principal, ref: Exclude<UserRef, 'self'>, password: string): Promise<void> {
  // Setting (not changing) a password is never self-service: the old one must be given.
  await setPassword(ctx, p, await targetUser(p, ref, 'user.self:write', 'users.password:write'), password);
}

export async function setPassword(ctx: Ctx, p: Actor, userId: number, password: string): Promise<void> {
  validateNewPassword(ctx, password);
  const hash = await hashPassword(password);
  await inTransaction(ctx, async (trx) => {
    if (!(await updateUser(trx, userId, { password_hash: hash, updated_at: now() }))) throw notFound('user.not-found', 'user not found');
    // A new password ends every session of that user.
    await deleteUserSessions(trx, userId);
    await audit(trx, p, { action: 'user.password.set', objectType: 'user', objectId: userId });
  });
}

/** The caller changes their own password: old password first, then the policy (Grafana's order). */
export async function changeOwnPassword(ctx: Ctx, p: Principal, oldPassword: string, newPassword: string): Promise<void> {
  const userId = await targetUser(p, 'self', 'user.self:write', 'users.password:write');
  const user = await getUser(ctx, userId);
  if (!(await verifyPassword(oldPassword, user.password_hash))) {
    throw invalid('user.password-mismatch', 'Invalid old password');
  }
  validateNewPassword(ctx, newPassword);
  const hash = await hashPassword(newPassword);
  await inTransaction(ctx, async (trx) => {
    await updateUser(trx, userId, { password_hash: hash, updated_at: now() });
    await audit(trx, p, { action: 'user.password.change', objectType: 'user', objectId: userId });
  });
}
