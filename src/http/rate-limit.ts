// Per-credential rate limits: a fixed one-minute window per user, service account or personal
// API key. With ROSTER_REDIS_URL the counters live in Redis and are shared by every process;
// without it each process counts on its own (a single-process deployment's exact limit). The
// in-process path is one Map lookup per request.
import { RedisCounter, type Log } from './redis-counter.ts';
import type { Principal } from '../domain/principal.ts';
import type { Maybe } from './maybe.ts';

const WINDOW_MS = 60_000;

export class RateLimiter {
  private window = 0;
  private counts = { sa: new Map<number, number>(), key: new Map<number, number>(), user: new Map<number, number>() };
  private readonly redis: RedisCounter | undefined;

  constructor(
    private readonly limit: number,
    redis?: { url: string | undefined; log: Log },
  ) {
    this.redis = limit > 0 && redis?.url ? new RedisCounter(redis.url, redis.log) : undefined;
  }

  /** Counts a request; 0 when allowed, else the seconds until the window resets (at once in-process). */
  hit(p: Principal): Maybe<number> {
    if (this.limit <= 0) return 0;
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const verdict = (count: number) => (count <= this.limit ? 0 : Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000)));
    if (!this.redis) return verdict(this.local(p, window));
    return this.redis.incr(`roster:rl:${credentialKey(p)}:${window}`, (2 * WINDOW_MS) / 1000).then(
      verdict,
      () => verdict(this.local(p, window)), // Redis down: keep limiting, per process
    );
  }

  close(): void {
    this.redis?.close();
  }

  private local(p: Principal, window: number): number {
    if (window !== this.window) {
      this.window = window;
      this.counts = { sa: new Map(), key: new Map(), user: new Map() }; // a new window forgets the old one in one step
    }
    // By kind and numeric id: no key string built and hashed per request.
    const sa = p.kind === 'service-account';
    const counts = sa ? this.counts.sa : p.tokenId !== null ? this.counts.key : this.counts.user;
    const id = sa ? p.serviceAccountId! : (p.tokenId ?? p.userId!);
    const count = (counts.get(id) ?? 0) + 1;
    counts.set(id, count);
    return count;
  }
}

/** The credential a request is counted against: its token, else its user. */
function credentialKey(p: Principal): string {
  if (p.kind === 'service-account') return `sa:${p.serviceAccountId}`;
  if (p.kind === 'scim') return `scim:${p.tokenId}`;
  if (p.tokenId !== null) return `key:${p.tokenId}`;
  return `user:${p.userId}`;
}

/** DRF's throttle message ("1 second." singular). */
export function throttledMessage(seconds: number): string {
  return `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}
