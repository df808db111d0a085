// Shared rate-limit counters in Redis through ioredis: INCR a window counter and give it an
// expiry, in one pipelined write. ioredis reads the URL (rediss:// for TLS, the database number
// in the path, user and password) and reconnects on its own. While Redis is unreachable every
// call fails at once, and the caller counts in its own process; the outage and the recovery are
// each logged once, loudly, since limits per process are looser than the configured one.
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

// Loaded when a Redis URL is configured, not with the server: ioredis's modules add tens of ms to
// every start (bench/cold-start.mjs) of a server that counts in its own process.
const loadRedis = () => (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;

/** The parts of a pino logger used here (Fastify's app.log). */
export interface Log {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** A failed reconnect is retried at this pace, up to 5 s apart, for as long as it takes. */
const retryDelay = (attempt: number) => Math.min(attempt * 250, 5_000);

export class RedisCounter {
  private readonly redis: Redis;
  /** The URL without credentials, for the log. */
  private readonly where: string;
  private down = false;
  /** Until the first connection succeeds or fails: requests at start-up wait for it, so a
   *  reachable Redis counts them all; settled once, then never waited on again. */
  private starting: Promise<void> | undefined;
  private started = () => {};
  private closing = false;

  constructor(
    url: string,
    private readonly log: Log,
  ) {
    const u = new URL(url);
    this.where = `${u.protocol}//${u.host}${u.pathname.length > 1 ? u.pathname : ''}`;
    this.redis = new (loadRedis())(url, {
      // Fail at once rather than queue while disconnected: a request must not wait for Redis.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // A Redis that accepts the connection but stops answering is unreachable too.
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      retryStrategy: retryDelay,
    });
    this.starting = new Promise<void>((resolve) => (this.started = resolve));
    // A host that accepts the connection and never answers emits no error: bound the wait.
    setTimeout(() => {
      if (this.starting && !this.closing) this.unreachable(new Error('no answer within 2 s'));
    }, 2_000).unref();
    // Every failed attempt emits 'error'; only the first of an outage is worth a line.
    this.redis.on('error', (err: Error) => this.unreachable(err));
    // A Redis that shuts down cleanly closes the connection without an error.
    this.redis.on('close', () => this.closing || this.unreachable(new Error('connection closed')));
    this.redis.on('ready', () => {
      this.settle();
      this.recovered();
    });
  }

  /** INCR `key`, EXPIRE it after `seconds`; resolves with the new count, rejects when Redis is not there. */
  async incr(key: string, seconds: number): Promise<number> {
    if (this.redis.status !== 'ready' && this.starting) await this.starting;
    // Reconnecting after an outage: don't wait for it (enableOfflineQueue would reject anyway).
    if (this.redis.status !== 'ready') throw new Error(`redis ${this.redis.status}`);
    let count: unknown;
    try {
      const results = await this.redis.pipeline().incr(key).expire(key, seconds).exec();
      const [err, n] = results![0];
      if (err) throw err;
      count = n;
    } catch (err) {
      // Connected but not answering (commandTimeout) or refusing (an error reply): an outage too.
      if (this.redis.status === 'ready') this.unreachable(err as Error);
      throw err;
    }
    // An outage seen on a connection that never dropped ends without a 'ready' event.
    if (this.down) this.recovered();
    return count as number;
  }

  close(): void {
    this.closing = true;
    this.settle();
    this.redis.disconnect();
  }

  private settle(): void {
    this.starting = undefined;
    this.started();
  }

  private recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info({ redis: this.where }, 'Redis is reachable again: rate-limit counters are shared across processes once more');
  }

  private unreachable(err: Error): void {
    this.settle();
    if (this.down) return;
    this.down = true;
    this.log.warn({ redis: this.where, err: err.message }, 'Redis is unreachable (or not answering): rate limits are counted per process (each process allows the full limit) until it returns');
  }
}
