// Identifier formats: OnCall public ids, PostHog UUIDs, Grafana uids.
import { randomBytes, randomInt } from 'node:crypto';

// OnCall's alphabet: A-Z without O, 1-9 without 0.
const ONCALL_ALPHABET = 'ABCDEFGHIJKLMNPQRSTUVWXYZ123456789';
const UID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** An OnCall public id: prefix (O org, U user, T team) + 12 characters, e.g. "U4DNY931HHJS5". */
export function oncallId(prefix: 'O' | 'U' | 'T'): string {
  return prefix + randomString(ONCALL_ALPHABET, 12);
}

export function isOncallId(value: string, prefix: 'O' | 'U' | 'T'): boolean {
  return new RegExp(`^${prefix}[${ONCALL_ALPHABET}]{12,16}$`).test(value);
}

/** A Grafana-style short uid (14 lowercase alphanumerics). */
export function grafanaUid(): string {
  return randomString(UID_ALPHABET, 14);
}

// Random bytes for uuidv7, drawn 4 KB at a time: each randomBytes call costs about as much as a
// large draw (~25 us on a write request, measured in the bench's write mix).
const ENTROPY_SIZE = 4096;
let entropy = Buffer.alloc(0);
let entropyUsed = ENTROPY_SIZE;

function random16(): Buffer {
  if (entropyUsed + 16 > entropy.length) {
    entropy = randomBytes(ENTROPY_SIZE);
    entropyUsed = 0;
  }
  const bytes = entropy.subarray(entropyUsed, entropyUsed + 16);
  entropyUsed += 16;
  return bytes;
}

/** A time-ordered UUID (version 7), as PostHog uses for its ids. */
export function uuidv7(now = Date.now()): string {
  const bytes = random16();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lower-case ASCII letters only (PostHog's slug suffix has no digits). */
export function randomLetters(length: number): string {
  return randomString('abcdefghijklmnopqrstuvwxyz', length);
}

export function randomAlnum(length: number): string {
  return randomString('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', length);
}

/** Whether a number from a request body can name a row (ids are PostgreSQL integer serials): any other names nothing. */
export const isRowId = (n: number) => Number.isSafeInteger(n) && n > 0 && n <= 2147483647;
