// What a newly set password must be (NIST SP 800-63B: a minimum length, no composition rules),
// plus two refusals of our own: a password of only whitespace is no secret, and a control
// character cannot be typed in a sign-in form (and NUL cannot be stored by PostgreSQL).
// Existing passwords are never re-checked: the policy applies when a password is set.
import type { Ctx } from './context.ts';
import { invalid } from './errors.ts';
import { limitLength } from './limits.ts';
import { hasControlCharacters } from './text.ts';

/** Throws the domain error for a password that may not be set; length counts characters, not UTF-16 units. */
export function checkNewPassword(password: string, minLength: number): void {
  if ([...password].length < minLength) throw invalid('password.too-short', 'New password is too short');
  if (password.trim() === '' || hasControlCharacters(password)) {
    throw invalid('password.policy', "New password doesn't comply with the password policy");
  }
}

/** The policy with this deployment's minimum length, plus the stored field's length limit. */
export function validateNewPassword(ctx: Ctx, password: string): void {
  checkNewPassword(password, ctx.settings.passwordMinLength);
  limitLength('user.password', password, 'password');
}
