// What the audit trail keeps of a user (never the password hash).
import type { UserRow } from '../store/schema.ts';

export function userSnapshot(u: Pick<UserRow, 'id' | 'login' | 'email' | 'email_verified' | 'name' | 'is_admin' | 'is_disabled'>) {
  return { id: u.id, login: u.login, email: u.email, emailVerified: !!u.email_verified, name: u.name, isServerAdmin: !!u.is_admin, isDisabled: !!u.is_disabled };
}
