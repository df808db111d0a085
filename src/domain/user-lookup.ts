// Finding a user by the identifiers people type or APIs carry, without any permission check.
import type { Db } from './context.ts';
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

/** A user by OnCall public id (U...). */
export async function findUserByPublicId(db: Db, publicId: string): Promise<UserRow | undefined> {
  return usersStore.findUserByPublicId(db, publicId);
}
