// The server-wide key for hashing tokens, generated once and kept in the database so every
// process hashes alike.
import type { Db } from './context.ts';
import { newRandomKey } from './secrets.ts';
import { insertMetaIfAbsent, readMeta } from '../store/meta.ts';

const KEY = 'token_hash_key';

export async function tokenHashKey(db: Db): Promise<Buffer> {
  const existing = await readMeta(db, KEY);
  if (existing !== undefined) return Buffer.from(existing, 'hex');
  await insertMetaIfAbsent(db, KEY, newRandomKey());
  const value = await readMeta(db, KEY);
  if (value === undefined) throw new Error('token_hash_key missing after insert');
  return Buffer.from(value, 'hex');
}
