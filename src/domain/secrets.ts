// Passwords with a slow KDF (scrypt); tokens and sessions as a keyed hash of a high-entropy
// secret. Both compared in constant time. No secret is ever stored in the clear.
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { randomAlnum } from './ids.ts';

/** How many password KDF runs this process made: lets tests prove a path pays the KDF without timing it. */
export const kdfRuns = { count: 0 };

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) => {
  kdfRuns.count++;
  return new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
};

/** scrypt's cost (about 16 MB and tens of ms a hash). Each hash records its own N, r and p. */
export const PASSWORD_COST = { N: 16384, r: 8, p: 1 } as const;
let SCRYPT: { N: number; r: number; p: number } = { ...PASSWORD_COST };

/**
 * For in-process test servers only (test/helpers/roster.ts): a cheaper N keeps hundreds of test
 * logins fast. Roster itself never calls it; the CLI tests check that real hashes use PASSWORD_COST.
 */
export function lowerPasswordCostForTests(N: number): void {
  SCRYPT = { ...PASSWORD_COST, N };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * A hash nobody's password matches (its key is random bytes, not a KDF output), at the cost new
 * hashes get. Checking a password against it costs what checking a real one costs, so a sign-in
 * for an unknown user, or one without a password, takes as long as a wrong password.
 */
function dummyHash(): string {
  const [salt, key] = [randomBytes(16), randomBytes(32)].map((b) => b.toString('base64'));
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt}$${key}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const usable = !!stored && stored.startsWith('scrypt$');
  const [, n, r, p, salt, hash] = (usable ? stored : dummyHash()).split('$');
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(key, expected) && usable;
}

/** Keyed hash for tokens and sessions: fast, because the secret already has ~190 bits of entropy. */
export class TokenHasher {
  constructor(private readonly key: Buffer) {}
  hash(secret: string): string {
    return createHmac('sha256', this.key).update(secret).digest('hex');
  }
}

export function equalsConstantTime(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function crc32LittleEndianHex(text: string): string {
  const buf = Buffer.alloc(4);
  buf.writeUInt32LE(crc32(text));
  return buf.toString('hex');
}

/** Grafana's service-account token: glsa_<32 alphanumerics>_<crc32 of "glsa_"+secret, little-endian hex>. */
export function newServiceAccountToken(): string {
  const secret = randomAlnum(32);
  return `glsa_${secret}_${crc32LittleEndianHex('glsa_' + secret)}`;
}

export function isWellFormedServiceAccountToken(token: string): boolean {
  const m = /^glsa_([A-Za-z0-9]{32})_([0-9a-f]{8})$/.exec(token);
  return !!m && crc32LittleEndianHex('glsa_' + m[1]) === m[2];
}

/** PostHog's personal API key: phx_ + 47 alphanumerics. */
export function newPersonalApiKey(): string {
  return 'phx_' + randomAlnum(47);
}

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function newRandomKey(): string {
  return randomBytes(32).toString('hex');
}

export function newGeneratedPassword(): string {
  return randomAlnum(20);
}

/** A one-time code sent by mail or handed to a person (email verification, invites): 256 bits, URL-safe. */
export function newOneTimeCode(): string {
  return randomBytes(32).toString('base64url');
}
