// OnCall's page-number pagination (docs/compat/oncall.md#pagination): page/perpage quirks, clamped pages, and
// absolute next/previous links rebuilt the way DRF's replace_query_param does (query keys
// sorted, blank values kept, Python's quote_plus encoding).

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
  page_size: number;
  current_page_number: number;
  total_pages: number;
}

/** Python int(): optional surrounding whitespace and sign, decimal digits. */
function pyInt(value: unknown): number | undefined {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  if (typeof v !== 'string' || !/^\s*[+-]?\d+\s*$/.test(v)) return undefined;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Items per page: perpage when a positive int (never capped); the reported page_size is capped at 100. */
export function pageSizes(query: Record<string, unknown>, defaultSize: number) {
  const perpage = pyInt(query.perpage);
  if (perpage === undefined || perpage < 1) return { perPage: defaultSize, pageSize: defaultSize };
  return { perPage: perpage, pageSize: Math.min(perpage, 100) };
}

/** The requested page: not an int or < 1 is 1; "last" (DRF) is the last page. */
function requestedPage(query: Record<string, unknown>): number | 'last' {
  const raw = Array.isArray(query.page) ? query.page[query.page.length - 1] : query.page;
  if (raw === 'last') return 'last';
  const n = pyInt(raw);
  return n === undefined || n < 1 ? 1 : n;
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
): Promise<Page<T>> {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const { perPage, pageSize } = pageSizes(query, defaultSize);
  const wanted = requestedPage(query);
  let page = wanted === 'last' ? 1 : wanted;
  // A page so far out that its offset is not a safe integer is past the end of any table.
  let { total, items } = await fetch(perPage, Math.min((page - 1) * perPage, Number.MAX_SAFE_INTEGER));
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  if (wanted === 'last' || page > totalPages) {
    page = totalPages;
    ({ total, items } = await fetch(perPage, (page - 1) * perPage));
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

/** Python's urllib.parse.quote_plus: unreserved characters kept, space as "+", the rest %XX. */
export function quotePlus(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.~-]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function unquotePlus(text: string): string {
  const s = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(s);
  } catch {
    // Python decodes what it can and keeps the rest; a stray "%" stays literal here
    return s.replace(/%([0-9A-Fa-f]{2})/g, (m, h) => {
      const n = parseInt(h, 16);
      return n < 0x80 ? String.fromCharCode(n) : m;
    });
  }
}

/** parse_qs(keep_blank_values=True): values grouped by key in order of appearance. */
function parseQuery(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = unquotePlus(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : unquotePlus(part.slice(eq + 1));
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/**
 * BASE_URL + the request path + its query with `page` set to `page` (or removed for page 1),
 * keys sorted as DRF's replace_query_param / remove_query_param re-encode them.
 */
export function pageLink(publicUrl: string, requestUrl: string, page: number): string {
  const q = requestUrl.indexOf('?');
  const path = q < 0 ? requestUrl : requestUrl.slice(0, q);
  const params = parseQuery(q < 0 ? '' : requestUrl.slice(q + 1));
  if (page === 1) params.delete('page');
  else params.set('page', [String(page)]);
  const keys = [...params.keys()].sort();
  const encoded = keys.flatMap((k) => params.get(k)!.map((v) => `${quotePlus(k)}=${quotePlus(v)}`)).join('&');
  return publicUrl + path + (encoded ? `?${encoded}` : '');
}
