// Which failures mean "the database cannot be used right now" rather than "this request is wrong"
// or "Roster has a bug": every face answers those with 503 and Retry-After (docs/faults.md).
//
// Retrying is correct for all of them: the request either did not reach the database, or its
// transaction was rolled back, or (a lost connection during COMMIT) it may have landed; an
// idempotent retry or a read tells which.

/** Seconds a client should wait before retrying, per cause. */
export const RETRY_AFTER = {
  /** A connection dropped or the database is busy: the pool opens a fresh one at once. */
  transient: 1,
  /** The database is unreachable, starting up or out of space: needs time or an operator. */
  outage: 5,
} as const;

/**
 * Raised where Roster itself knows the store cannot serve: no connection could be opened, a
 * SQLite transaction batch failed to commit, or the server is still waiting for its database at
 * start. `cause` keeps the driver's error for the logs.
 */
export class StoreUnavailable extends Error {
  readonly code = 'ROSTER_STORE_UNAVAILABLE';
  constructor(
    message: string,
    readonly retryAfter: number = RETRY_AFTER.outage,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}

// PostgreSQL SQLSTATEs: class 08 connection exceptions, 57P01-57P03 (admin/crash shutdown,
// cannot connect now: starting up or shutting down), 53300 too many connections,
// 40001/40P01 serialization failure and deadlock (the transaction was rolled back; a retry
// succeeds).
const PG_TRANSIENT = new Set(['57P01', '57P02', '40001', '40P01', '53300']);
const PG_OUTAGE = new Set(['57P03', '53100']);

// Node socket errors on the way to PostgreSQL: a live connection cut, or no way to open one.
const SOCKET_CUT = new Set(['ECONNRESET', 'EPIPE']);
const SOCKET_DOWN = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

// Messages of node-postgres (pg / pg-pool) errors that carry no code.
const PG_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

// SQLite result codes (better-sqlite3's `code` is the extended code, e.g. SQLITE_IOERR_WRITE):
// the disk is full, the file is locked by another process past busy_timeout, read-only (a
// remount, permissions) or an I/O error. Node's own fs errors from the WAL sync likewise.
const SQLITE_TRANSIENT = /^SQLITE_(BUSY|LOCKED)/;
const SQLITE_OUTAGE = /^SQLITE_(FULL|READONLY|IOERR)/;
const FS_OUTAGE = new Set(['ENOSPC', 'EIO', 'EROFS', 'EDQUOT']);

/**
 * Seconds to send in Retry-After when `err` (or an error it wraps) means the store is
 * unavailable; undefined for any other error.
 */
export function unavailableRetryAfter(err: unknown, depth = 0): number | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  if (err instanceof StoreUnavailable) return err.retryAfter;
  const { code, message, cause } = err as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string') {
    if (PG_TRANSIENT.has(code) || code.startsWith('08') || SOCKET_CUT.has(code) || SQLITE_TRANSIENT.test(code)) return RETRY_AFTER.transient;
    if (PG_OUTAGE.has(code) || SOCKET_DOWN.has(code) || SQLITE_OUTAGE.test(code) || FS_OUTAGE.has(code)) return RETRY_AFTER.outage;
  }
  if (typeof message === 'string' && PG_MESSAGES.some((m) => message.includes(m))) return RETRY_AFTER.transient;
  // AggregateError (a connect that tried IPv4 and IPv6) and wrapped errors.
  for (const inner of [cause, ...((err as { errors?: unknown[] }).errors ?? [])]) {
    const found = unavailableRetryAfter(inner, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function isUnavailable(err: unknown): boolean {
  return unavailableRetryAfter(err) !== undefined;
}

/**
 * PostgreSQL refusals at connect that no waiting fixes (wrong password, no such database or
 * role): the server must say so and stop at start rather than wait.
 */
export function isConfigurationRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '28P01' || code === '28000' || code === '3D000';
}
