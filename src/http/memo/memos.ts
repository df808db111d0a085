// Every memo of one Roster process, in one place: what a write drops (after-write.ts, and
// invalidation.ts for writes by other processes) and what /metrics counts.
import { ExpiringMemo } from './expiring-memo.ts';
import { ListingMemo } from './listing-memo.ts';
import { ReadMemo } from './read-memo.ts';
import { ResponseMemo } from './response-memo.ts';

export class Memos {
  /**
   * The authenticator's credential lookups (http/auth.ts): token, login and membership rows.
   * Kept even with the memo off: without it every Basic-auth request costs a password KDF.
   */
  readonly credentials = new ExpiringMemo();
  /** Domain reads that routes serve on every poll (the current org). */
  readonly reads: ReadMemo;
  /** What paging loops learnt of each listing (paging-loop.ts). */
  readonly listings: ListingMemo;
  /** Whole answers of polled list reads (routes with `config.memoize`). */
  readonly responses: ResponseMemo;

  /** `enabled` false (ROSTER_MEMO=off): every read but the credential lookups goes to the database. */
  constructor(enabled = true) {
    this.reads = new ReadMemo(enabled);
    this.listings = new ListingMemo(enabled);
    this.responses = new ResponseMemo(enabled);
  }

  /** Hits and misses of the credential and read memos, for /metrics. */
  stats(): { hits: number; misses: number } {
    const c = this.credentials.stats;
    const r = this.reads.memo.stats;
    return { hits: c.hits + r.hits, misses: c.misses + r.misses };
  }

  /** Forget everything memoized: after each write (after-write.ts) and each remote write. */
  invalidate(): void {
    this.credentials.invalidate();
    this.reads.invalidate();
    this.listings.invalidate();
    this.responses.invalidate();
  }
}
