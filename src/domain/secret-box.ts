// Encryption at rest for secrets Roster must read back (TOTP secrets): AES-256-GCM with a random
// 96-bit nonce per value. The key is ROSTER_SECRET_KEY when set (kept outside the database, so a
// copy of the database alone does not reveal the secrets), else a random key generated once into
// the database's meta table (every process shares it). Each value names the key that sealed it
// (a short fingerprint), so values sealed under the database key still open after
// ROSTER_SECRET_KEY is set, and a value sealed under a key this server no longer has fails with
// a message saying so rather than as garbage. See docs/two-factor.md.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { newRandomKey } from './secrets.ts';
import { insertMetaIfAbsent, readMeta } from '../store/meta.ts';

const META_KEY = 'secret_box_key';

interface Key {
  id: string;
  key: Buffer;
}

function keyOf(material: Buffer): Key {
  const key = createHash('sha256').update('roster secret box key\0').update(material).digest();
  const id = createHash('sha256').update('roster secret box id\0').update(key).digest('hex').slice(0, 8);
  return { id, key };
}

export class SecretBox {
  private readonly byId: Map<string, Key>;
  constructor(
    private readonly sealing: Key,
    others: Key[] = [],
  ) {
    this.byId = new Map([sealing, ...others].map((k) => [k.id, k]));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealing.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', this.sealing.id, iv.toString('base64url'), data.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, id, iv, data, tag] = sealed.split('.');
    const key = this.byId.get(id);
    if (version !== 'v1' || !key) {
      throw new Error(`a secret was sealed with a key this server does not have (key ${id}): was ROSTER_SECRET_KEY changed or removed? See docs/two-factor.md`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/**
 * The box for this server: sealing with ROSTER_SECRET_KEY when given (the database key, if one
 * was made earlier, still opens older values); otherwise with the database key, made on first use.
 */
export async function openSecretBox(db: Db, secretKey: string | undefined): Promise<SecretBox> {
  const stored = await readMeta(db, META_KEY);
  const dbKey = stored === undefined ? undefined : keyOf(Buffer.from(stored, 'hex'));
  if (secretKey) return new SecretBox(keyOf(Buffer.from(secretKey, 'utf8')), dbKey ? [dbKey] : []);
  if (dbKey) return new SecretBox(dbKey);
  await insertMetaIfAbsent(db, META_KEY, newRandomKey());
  const value = await readMeta(db, META_KEY);
  if (value === undefined) throw new Error(`${META_KEY} missing after insert`);
  return new SecretBox(keyOf(Buffer.from(value, 'hex')));
}
