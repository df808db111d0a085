// The rows one page covers, whatever the style asked for it with.

export interface PageWindow {
  limit: number;
  offset: number;
}

/**
 * Page `page` (one-based) of `perPage` rows. A page past 2^53 rows is past every row: its offset
 * is capped there, so the databases get an integer they take (a product of two large numbers is
 * a float, which both refuse as an OFFSET).
 */
export function pageWindow(page: number, perPage: number): PageWindow {
  return { limit: perPage, offset: Math.min(perPage * (page - 1), Number.MAX_SAFE_INTEGER) };
}
