// Paging loops (grafana-client, Terraform) read page after page of one listing. Where each page
// ended is remembered until the next write (Authenticator.pageEnds), so the next page starts
// right after it, a keyset read, instead of skipping every row before it: a deep page then costs
// what the first does. Pages read out of order still use their offset.
import type { Authenticator } from './auth.ts';

export interface PagingLoop<Row, Key> {
  /** Names the listing: its kind, filters and page size (pages of other listings never mix). */
  listing: string;
  page: number;
  pageSize: number;
  /** False where the order is one a keyset cannot follow (a caller's own sort). */
  keyset: boolean;
  keyOf(row: Row): Key;
  /** Reads the page, after `after` when given, else by its offset. */
  read(after: Key | undefined): Promise<Row[]>;
}

export async function readPage<Row, Key>(auth: Authenticator, loop: PagingLoop<Row, Key>): Promise<Row[]> {
  const endOf = (page: number) => `page-end:${loop.listing}:${page}`;
  const ends = auth.pageEnds;
  const after = loop.keyset ? ends.get<Key>(endOf(loop.page - 1)) : undefined;
  const generation = ends.generation();
  const rows = await loop.read(after);
  const last = rows.at(-1);
  if (loop.keyset && last !== undefined && rows.length === loop.pageSize) ends.set(endOf(loop.page), loop.keyOf(last), generation);
  return rows;
}
