// Reads one page of a listing the way a paging loop asks for it, using what earlier pages taught
// the listing memo (listing-memo.ts): the previous page's end makes the next page a keyset read,
// and a skip index (the key of every STRIDE-th row, found by hops of STRIDE rows) lets a page read
// out of order (a loop's first page deep in the list) start from the nearest index key and skip
// fewer than STRIDE rows instead of every row before it.
import type { ListingMemo } from './listing-memo.ts';

/** Rows between two skip-index keys: a hop, and the most a deep read still skips. */
export const STRIDE = 1000;

export interface PagingLoop<Row, Key> {
  /** Names the listing: its kind and filters (not the page size); pages of other listings never mix. */
  listing: string;
  page: number;
  pageSize: number;
  /** False where the order is one a keyset cannot follow (a caller's own sort). */
  keyset: boolean;
  keyOf(row: Row): Key;
  /** Reads `limit` rows after `after` (from the start when undefined), skipping `skip` first. */
  read(from: { after?: Key; skip: number; limit: number }): Promise<Row[]>;
}

/** Keys of rows STRIDE-1, 2*STRIDE-1, ... of one listing, extended on demand. */
interface SkipIndex<Key> {
  keys: Key[];
  /** The listing has no row past the last key's block. */
  complete: boolean;
  extending?: Promise<void>;
}

export async function readPage<Row, Key>(listings: ListingMemo, loop: PagingLoop<Row, Key>): Promise<Row[]> {
  const { pageEnds } = listings;
  const endOf = (page: number) => `${loop.listing}:${loop.pageSize}:${page}`;
  // Capped at 2^53: a page past that many rows is past every row, and the product of two large
  // numbers would be a float, which neither database takes as an OFFSET.
  const offset = Math.min((loop.page - 1) * loop.pageSize, Number.MAX_SAFE_INTEGER);
  let from: { after?: Key; skip: number } = { skip: offset };
  if (listings.enabled && loop.keyset && offset > 0) {
    const end = pageEnds.get<Key>(endOf(loop.page - 1));
    if (end !== undefined) from = { after: end, skip: 0 };
    else if (offset >= STRIDE) from = (await skipTo(listings, loop, offset)) ?? from;
  }
  const generation = pageEnds.generation();
  const rows = await loop.read({ ...from, limit: loop.pageSize });
  const last = rows.at(-1);
  if (loop.keyset && last !== undefined && rows.length === loop.pageSize) pageEnds.set(endOf(loop.page), loop.keyOf(last), generation);
  return rows;
}

/** Where to start reading row `offset` from the skip index; undefined when a write intervened. */
async function skipTo<Row, Key>(listings: ListingMemo, loop: PagingLoop<Row, Key>, offset: number): Promise<{ after: Key; skip: number } | undefined> {
  const cache = listings.skipIndexes;
  const generation = cache.generation();
  let index = cache.get<SkipIndex<Key>>(loop.listing);
  if (!index) {
    index = { keys: [], complete: false };
    cache.set(loop.listing, index, generation);
  }
  const blocks = Math.floor(offset / STRIDE);
  // One extension at a time per listing; concurrent deep reads wait for it and share its keys.
  while (index.keys.length < blocks && !index.complete && cache.generation() === generation) {
    if (!index.extending) {
      const ix = index;
      ix.extending = extend(ix, loop, blocks, () => cache.generation() === generation).finally(() => (ix.extending = undefined));
    }
    await index.extending;
  }
  if (cache.generation() !== generation || index.keys.length === 0) return undefined;
  const known = Math.min(blocks, index.keys.length);
  return { after: index.keys[known - 1]!, skip: offset - known * STRIDE };
}

/** Hops STRIDE rows at a time from the last known key until `blocks` keys are known. */
async function extend<Row, Key>(index: SkipIndex<Key>, loop: PagingLoop<Row, Key>, blocks: number, current: () => boolean): Promise<void> {
  while (index.keys.length < blocks && current()) {
    const after = index.keys.at(-1);
    const [row] = await loop.read({ after, skip: STRIDE - 1, limit: 1 });
    if (!current()) return;
    if (row === undefined) {
      index.complete = true;
      return;
    }
    index.keys.push(loop.keyOf(row));
  }
}
