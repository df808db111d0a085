// OnCall's page-number pagination (docs/compat/oncall.md#pagination): page/perpage quirks, a page
// past the end clamped to the last page, and DRF's absolute next/previous links.
import { drfLink } from './drf-links.ts';
import { lastValue, pythonInt } from './query-numbers.ts';
import { pageWindow } from './window.ts';

export interface NumberedPage<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
  page_size: number;
  current_page_number: number;
  total_pages: number;
}

/** Items per page: perpage when a positive int (never capped); the reported page_size is capped at 100. */
export function pageSizes(query: Record<string, unknown>, defaultSize: number) {
  const perpage = pythonInt(query.perpage);
  if (perpage === undefined || perpage < 1) return { perPage: defaultSize, pageSize: defaultSize };
  return { perPage: perpage, pageSize: Math.min(perpage, 100) };
}

/** The requested page: not an int or < 1 is 1; "last" (DRF) is the last page. */
function requestedPage(query: Record<string, unknown>): number | 'last' {
  const raw = lastValue(query.page);
  if (raw === 'last') return 'last';
  const n = pythonInt(raw);
  return n === undefined || n < 1 ? 1 : n;
}

/**
 * BASE_URL + the request path + its query with `page` set to `page` (or removed for page 1),
 * keys sorted as DRF's replace_query_param / remove_query_param re-encode them.
 */
export function pageLink(publicUrl: string, requestUrl: string, page: number): string {
  return page === 1 ? drfLink(publicUrl, requestUrl, {}, ['page']) : drfLink(publicUrl, requestUrl, { page: String(page) });
}

/**
 * Fetches one page, clamping a page past the end to the last page (OnCall never answers 404
 * "Invalid page"). `fetch` returns the total and the items at that offset.
 */
export async function paginate<T>(
  req: { url: string; query: unknown },
  publicUrl: string,
  defaultSize: number,
  fetch: (limit: number, offset: number) => Promise<{ total: number; items: T[] }>,
): Promise<NumberedPage<T>> {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const { perPage, pageSize } = pageSizes(query, defaultSize);
  const wanted = requestedPage(query);
  let page = wanted === 'last' ? 1 : wanted;
  let window = pageWindow(page, perPage);
  let { total, items } = await fetch(window.limit, window.offset);
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  if (wanted === 'last' || page > totalPages) {
    page = totalPages;
    window = pageWindow(page, perPage);
    ({ total, items } = await fetch(window.limit, window.offset));
  }
  return {
    count: total,
    next: page < totalPages ? pageLink(publicUrl, req.url, page + 1) : null,
    previous: page > 1 ? pageLink(publicUrl, req.url, page - 1) : null,
    results: items,
    page_size: pageSize,
    current_page_number: page,
    total_pages: Math.max(1, Math.ceil(total / perPage)),
  };
}
