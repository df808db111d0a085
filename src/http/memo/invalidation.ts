// Cross-process cache invalidation: when one process writes, every other process drops its
// memos (memos.ts) at once instead of waiting for their 1 s lifetime.
//
// - PostgreSQL: NOTIFY on a channel after each write; a dedicated client LISTENs (reconnecting
//   with backoff if the connection drops). Works for any number of processes and machines.
// - SQLite under `serve --workers N`: the worker tells the cluster primary (process.send), which
//   relays to the other workers (cli/serve.ts).
// The 1 s TTL stays as the backstop for a message lost while a listener reconnects.
import { randomBytes } from 'node:crypto';
import cluster from 'node:cluster';
import type pg from 'pg';
import { CompiledQuery } from 'kysely';
import type { Store } from '../../store/db.ts';

export const CHANNEL = 'roster_invalidate';
/** The IPC message a worker sends to the primary and the primary relays. */
export const IPC_MESSAGE = 'roster:invalidate';

export interface InvalidationBus {
  /** Tell the other processes to drop their caches (awaited so it is sent before the response). */
  publish(): Promise<void>;
  close(): Promise<void>;
}

/** This process's id in messages, so a process ignores its own notifications. */
const SELF = `${process.pid}-${randomBytes(4).toString('hex')}`;

/** The announcement that this process wrote, whichever connection sends it. */
const NOTIFY = CompiledQuery.raw('SELECT pg_notify($1, $2)', [CHANNEL, SELF]);

export function pgInvalidationBus(url: string, onRemote: () => void, log: (msg: string) => void, connectTimeoutMs = 5000): InvalidationBus {
  let client: pg.Client | undefined;
  let closed = false;
  let delay = 100;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    // Named, so operators (and the tests) can tell it from pool connections.
    // Timed out like the pool's connects (ROSTER_DB_CONNECT_TIMEOUT): an unreachable host is
    // retried with the backoff below instead of hanging in the kernel's SYN retries.
    // Loaded here: only a PostgreSQL server listens, and a SQLite one never loads pg (store/db.ts).
    const { Client } = (await import('pg')).default;
    const c = new Client({ connectionString: url, application_name: 'roster-invalidation', connectionTimeoutMillis: connectTimeoutMs });
    c.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload !== SELF) onRemote();
    });
    let gone = false;
    const retry = () => {
      if (gone) return;
      gone = true;
      if (client === c) client = undefined;
      c.removeAllListeners('error');
      c.on('error', () => {});
      c.end().catch(() => {});
      if (closed) return;
      // Anything written while we were away is covered by the TTL; dropping now covers the gap.
      onRemote();
      timer = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, 5000);
    };
    c.on('error', (err) => {
      log(`invalidation listener: ${err.message}; reconnecting`);
      retry();
    });
    c.on('end', () => retry());
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      if (closed) {
        gone = true;
        return void c.end().catch(() => {});
      }
      client = c;
      delay = 100;
    } catch (err) {
      log(`invalidation listener: ${(err as Error).message}; retrying`);
      retry();
    }
  };
  const ready = connect();

  // Sent through the listening client when it is up (no pool slot taken by writes).
  const notify = async (): Promise<void> => {
    const c = client;
    if (!c) return;
    try {
      await c.query(NOTIFY.sql, [...NOTIFY.parameters]);
    } catch {
      // The listener reconnects by itself; the other processes fall back to the TTL.
    }
  };

  return {
    publish: coalesced(notify),
    async close() {
      closed = true;
      clearTimeout(timer);
      await ready;
      const c = client;
      client = undefined;
      if (c) await c.end().catch(() => {});
    },
  };
}

/**
 * One call of `send` on the wire at a time. A caller arriving while one is in flight shares the
 * next call, never the current one: that one may have been sent before the caller's write
 * committed, so the other processes could refill their caches with what the write replaced.
 */
export function coalesced(send: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const p = send().finally(() => {
      if (current === p) current = undefined;
    });
    current = p;
    return p;
  };
  return () => {
    if (!current) return start();
    next ??= current
      .catch(() => {})
      .then(() => {
        next = undefined;
        return start();
      });
    return next;
  };
}

/** A cluster worker on SQLite: via the primary, which relays to its other workers. */
export function ipcInvalidationBus(onRemote: () => void): InvalidationBus {
  const onMessage = (msg: unknown) => {
    if (msg === IPC_MESSAGE) onRemote();
  };
  process.on('message', onMessage);
  return {
    async publish() {
      if (process.connected) process.send?.(IPC_MESSAGE);
    },
    async close() {
      process.off('message', onMessage);
    },
  };
}

/**
 * Tells the servers on the same PostgreSQL database that this process wrote, through the store's
 * own connection: for a process with no listener of its own (a CLI command, which then exits), so
 * a token revoked or a password reset at the shell is refused by the servers at once, not after
 * their memos run out. SQLite has no channel between separate processes: there the memos' 1 s
 * lifetime bounds it.
 */
export async function announceWrites(store: Pick<Store, 'db' | 'dialect'>): Promise<void> {
  if (store.dialect === 'postgres') await store.db.executeQuery(NOTIFY);
}

export const noInvalidationBus: InvalidationBus = { publish: async () => {}, close: async () => {} };

/**
 * The bus for this process: PostgreSQL's NOTIFY, cluster IPC for a SQLite worker, none for a
 * lone SQLite process. `onRemote` runs when another process wrote.
 */
export function openInvalidationBus(db: { dialect: 'sqlite' | 'postgres'; url: string; connectTimeoutMs: number }, onRemote: () => void, log: (msg: string) => void): InvalidationBus {
  if (db.dialect === 'postgres') return pgInvalidationBus(db.url, onRemote, log, db.connectTimeoutMs);
  return cluster.isWorker ? ipcInvalidationBus(onRemote) : noInvalidationBus;
}
