// Per-credential rate limits: a fixed one-minute window per user, service account or personal
// API key. With ROSTER_REDIS_URL the counters live in Redis and are shared by every process;
// without it each process counts on its own (a single-process deployment's exact limit). The
// in-process path is one Map lookup per request.
import { RedisCounter } from './redis-counter.ts';
import type { Principal } from '../domain/principal.ts';

const WINDOW_MS = 60_000;

export class RateLimiter {
  private window = 0;
  private counts = new Map<string, number>();
  private readonly redis: RedisCounter | undefined;

  constructor(private readonly limit: number, redisUrl?: string) {
    this.redis = limit > 0 && redisUrl ? new RedisCounter(redisUrl) : undefined;
  }

  /** Counts a request; 0 when allowed, else the seconds until the window resets. */
  async hit(p: Principal): Promise<number> {
    if (this.limit <= 0) return 0;
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const key = credentialKey(p);
    let count: number;
    if (this.redis) {
      try {
        count = await this.redis.incr(`roster:rl:${key}:${window}`, 2 * WINDOW_MS / 1000);
      } catch {
        count = this.local(key, window); // Redis down: keep limiting, per process
      }
    } else {
      count = this.local(key, window);
    }
    if (count <= this.limit) return 0;
    return Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
  }

  close(): void {
    this.redis?.close();
  }

  private local(key: string, window: number): number {
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map(); // a new window forgets the old one in one step
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count;
  }
}

/** The credential a request is counted against: its token, else its user. */
function credentialKey(p: Principal): string {
  if (p.kind === 'service-account') return `sa:${p.serviceAccountId}`;
  if (p.tokenId !== null) return `key:${p.tokenId}`;
  return `user:${p.userId}`;
}

/** DRF's throttle message ("1 second." singular). */
export function throttledMessage(seconds: number): string {
  return `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}
