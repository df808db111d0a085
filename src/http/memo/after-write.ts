// Memos are dropped after every write this process handles, before its response goes out, so
// the caller's next request sees the change; other processes are told (invalidation.ts) once it
// is on disk. On SQLite, what a request read or wrote may belong to a transaction batch that
// commits on the next turn (store/group-commit.ts): its answer waits for that commit.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/db.ts';
import type { InvalidationBus } from './invalidation.ts';
import type { Memos } from './memos.ts';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET that writes (a browser-followed link, such as single sign-on's return): memos are dropped after it, as after any write. */
    writes?: boolean;
  }
}

/**
 * Registers the root onSend hook that drops `memos` after each write and announces it on `bus`,
 * then calls `written` (once the write has committed: the webhook deliverer looks for the change
 * events it may have queued without waiting for its poll).
 */
export function forgetAfterWrites(app: FastifyInstance, store: Store, memos: Memos, bus: InvalidationBus, written: () => void = () => {}): void {
  app.addHook('onSend', (req, _reply, payload, done) => {
    const settled = store.settled?.();
    const read = READ_METHODS.has(req.method) && !req.routeOptions.config.writes;
    if (read && !settled) return done(null, payload);
    const send = () => {
      if (read) return done(null, payload);
      memos.invalidate();
      written();
      bus.publish().then(() => done(null, payload), done);
    };
    // A batch that failed to commit leaves nothing behind: memos may hold what it had written.
    if (settled) settled.then(send, (err) => (memos.invalidate(), done(err)));
    else send();
  });
}
