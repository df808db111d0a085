// The server-wide key for hashing tokens, generated once and kept in the database so every
// process hashes alike.
import type { Db } from './context.ts';
import { newRandomKey } from './secrets.ts';

export async function tokenHashKey(db: Db): Promise<Buffer> {
  const existing = await db.selectFrom('meta').select('value').where('key', '=', 'token_hash_key').executeTakeFirst();
  if (existing) return Buffer.from(existing.value, 'hex');
  await db
    .insertInto('meta')
    .values({ key: 'token_hash_key', value: newRandomKey() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'token_hash_key').executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'hex');
}
