// Finding a user by the identifiers people type or APIs carry, without any permission check.
import type { Db } from './context.ts';
import { notFound } from './errors.ts';
import { lookupKey } from './identity.ts';
import * as usersStore from '../store/users.ts';
import type { UserRow } from '../store/schema.ts';

export async function findUser(db: Db, id: number): Promise<UserRow | undefined> {
  return usersStore.findUserById(db, id);
}

/** Grafana's GetByLogin: lower-cased; with "@" try email first, else login first. */
export async function findUserByLoginOrEmail(db: Db, loginOrEmail: string): Promise<UserRow | undefined> {
  const key = lookupKey(loginOrEmail);
  if (!key) return undefined;
  return usersStore.findUserByEither(db, key.includes('@') ? 'email' : 'login', key);
}

/**
 * The user a Grafana user route names: a numeric id as-is (the operation finds it or answers 404),
 * otherwise a uid. Deferred: the operation runs it once the caller may act on users (policy UserRef).
 */
export function userByIdOrUid(db: Db, value: string): () => Promise<number> {
  return async () => {
    if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
    const user = await usersStore.findUserByUid(db, value);
    if (!user) throw notFound('user.not-found', 'User not found');
    return user.id;
  };
}

/** A user by OnCall public id (U...). */
export async function findUserByPublicId(db: Db, publicId: string): Promise<UserRow | undefined> {
  return usersStore.findUserByPublicId(db, publicId);
}
