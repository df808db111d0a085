// What paging loops (grafana-client, Terraform reading page after page of one listing) learnt of
// each listing: positions and counts rather than data (paging-loop.ts uses them). Dropped by
// every write like the other memos, and kept LISTING_TTL_MS at most, longer than the response
// memo, so a loop slowed down by load keeps its keyset reads:
// - where each page ended: the next page starts right after it (a keyset read);
// - a skip index per listing: the key of every STRIDE-th row (paging-loop.ts);
// - totals (a million-row count), counted once for every page of every loop.
import { ExpiringMemo } from './expiring-memo.ts';
import type { Maybe } from '../maybe.ts';

const LISTING_TTL_MS = 30_000;

export class ListingMemo {
  readonly pageEnds: ExpiringMemo;
  /** Few, and shared by every loop over a listing. */
  readonly skipIndexes: ExpiringMemo;
  readonly counts: ExpiringMemo;
  /** False (ROSTER_MEMO=off): no page end, skip index or total is kept; every page reads by offset. */
  constructor(readonly enabled = true) {
    this.pageEnds = new ExpiringMemo(LISTING_TTL_MS, undefined, enabled);
    this.skipIndexes = new ExpiringMemo(LISTING_TTL_MS, 64, enabled);
    this.counts = new ExpiringMemo(LISTING_TTL_MS, 256, enabled);
  }

  /** The listing's total, counted once until the next write. */
  count(listing: string, load: () => Promise<number>): Maybe<number> {
    return this.counts.through(listing, load) as Maybe<number>;
  }

  invalidate(): void {
    this.pageEnds.invalidate();
    this.skipIndexes.invalidate();
    this.counts.invalidate();
  }
}
