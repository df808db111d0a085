// Memoized responses of the heavy list reads that clients poll (a 1,000-member org list is a
// query, a thousand rows mapped and ~300 KB of JSON). A route opts in with `config.memoize`.
//
// The rules of every memo (expiring-memo.ts) keep it correct: the key holds everything
// the answer depends on (who is asking, in which org, with which role and the full URL); every
// write this process handles drops it before its response goes out; writes by other processes
// drop it at once (invalidation.ts); an answer is served for TTL_MS, and after that only to the
// requests that arrive while one request computes its successor (never past 2 * TTL_MS, never
// after a write); a read overtaken by a write is not stored. Authentication and rate limiting
// run before it, so a revoked token or a throttled caller never reaches a memoized answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/principal.ts';
import { ExpiringMemo, TTL_MS } from './expiring-memo.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET whose 200 answer may be served from the response memo. */
    memoize?: boolean;
  }
  interface FastifyRequest {
    memo?: { key: string; generation: number; keep: boolean; settle(): void };
  }
}

/** Few entries: they are large, and pollers are few. */
const MAX_ENTRIES = 64;
/** How long a computed key counts as asked for: a poller asks more often than this. */
const ASKED_MS = 10 * TTL_MS;
/** Bigger answers are not kept (a perpage=5000 listing). */
const MAX_BYTES = 2 * 1024 * 1024;

interface Memoized {
  /** Encoded once: every hit writes these bytes as they are, with no UTF-8 copy per response. */
  payload: Buffer;
  contentType: string;
  /** Served to everyone until then; after it (entries live 2 * TTL_MS) only while a successor is computed. */
  freshUntil: number;
}

export class ResponseMemo {
  /**
   * Kept twice as long as they are fresh: while one request computes a fresh answer, the others
   * get the previous one (at most 2 * TTL_MS old, never older than the last write) instead of
   * all waiting for it.
   */
  private readonly cache: ExpiringMemo;
  /** Answers being computed: concurrent misses of one key wait for the first instead of piling up. */
  private readonly inflight = new Map<string, Promise<void>>();
  /**
   * Keys computed within the last ASKED_MS. An answer is kept from its key's second computation
   * on: a poller's answer is kept, while the pages of a paging loop (each asked for once) are not
   * held in memory for nobody (bench: 600 pages/s of 30 KB answers).
   */
  private readonly asked = new ExpiringMemo(ASKED_MS, 4096);

  /** False (ROSTER_MEMO=off): no hook is registered, every opted-in route computes its answer. */
  constructor(private readonly enabled = true) {
    this.cache = new ExpiringMemo(2 * TTL_MS, MAX_ENTRIES, enabled);
  }

  invalidate(): void {
    this.cache.invalidate();
  }

  /** Registers the hooks on the root instance, so every face's opted-in routes use them. */
  register(app: FastifyInstance): void {
    if (!this.enabled) return;
    // Callback-style: most routes do not opt in and pass straight through, without a promise.
    app.addHook('preHandler', (req, reply, done) => {
      if (req.method !== 'GET' || !req.routeOptions.config?.memoize || !req.principal) return done();
      this.answer(req, reply).then((sent) => sent || done(), done);
    });
    app.addHook('onSend', (req, reply, payload, done) => {
      const memo = req.memo;
      if (!memo || !memo.keep || reply.statusCode !== 200 || typeof payload !== 'string' || payload.length > MAX_BYTES) {
        this.release(req);
        return done(null, payload);
      }
      // This response goes out as the same bytes: the JSON string (a rope built piece by piece)
      // is encoded once, not once here and again by the socket write. Encoding ~300 KB takes
      // ~2 ms, as long as the rest of the answer's computation: on a later turn of the event
      // loop, so the requests waiting meanwhile (memo hits) are not held up by both at once.
      setImmediate(() => {
        const bytes = Buffer.from(payload);
        const contentType = String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8');
        this.cache.set(memo.key, { payload: bytes, contentType, freshUntil: Date.now() + TTL_MS } satisfies Memoized, memo.generation);
        this.release(req);
        done(null, bytes);
      });
    });
    // A request that ended without passing onSend (an error, or the client went away) still lets
    // its waiters go: see the 'close' listener in answer(), only on the request that computes.
  }

  /** Sends the memoized answer (true), or makes this request the one that computes it. */
  private async answer(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const key = memoKey(req.principal, req.url);
    for (;;) {
      const running = this.inflight.get(key);
      const entry = this.cache.get<Memoized>(key);
      const hit = entry && (running || entry.freshUntil >= Date.now()) ? entry : undefined;
      if (hit) {
        // Bytes with their content type are sent as they are (no second serialization).
        reply.code(200).type(hit.contentType).send(hit.payload);
        return true;
      }
      if (!running) break;
      await running; // then the memo has it, or that request failed and this one computes
    }
    const keep = this.asked.get(key) !== undefined;
    // Never invalidated: it says who asks, not what the answer was.
    this.asked.set(key, true, this.asked.generation());
    let settle!: () => void;
    this.inflight.set(key, new Promise<void>((resolve) => (settle = resolve)));
    req.memo = { key, generation: this.cache.generation(), keep, settle };
    reply.raw.once('close', () => this.release(req));
    return false;
  }

  private release(req: FastifyRequest): void {
    const memo = req.memo;
    if (!memo) return;
    req.memo = undefined;
    this.inflight.delete(memo.key);
    memo.settle();
  }
}

function memoKey(p: Principal, url: string): string {
  const scope = p.kind === 'service-account' ? `sa:${p.serviceAccountId}` : `${p.kind}:${p.userId}:${p.tokenId ?? ''}`;
  return `${scope}:${p.orgId}:${p.role}:${p.isServerAdmin ? 1 : 0}:${url}`;
}
