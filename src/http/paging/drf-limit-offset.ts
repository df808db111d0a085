// PostHog's paging, DRF's LimitOffsetPagination (docs/compat/posthog.md#pagination):
// {count, next, previous, results}, default limit 100, DRF's absolute next/previous links.
import { drfLink } from './drf-links.ts';
import { pythonInt } from './query-numbers.ts';
import type { PageWindow } from './window.ts';

export const LIMIT_OFFSET_DEFAULT = 100;

/** Bad values never fail: a limit that is not a positive integer is the default, a bad offset is 0. */
export function limitOffset(query: unknown): PageWindow {
  const q = (query ?? {}) as Record<string, unknown>;
  const limit = pythonInt(q.limit);
  const offset = pythonInt(q.offset);
  return {
    limit: limit !== undefined && limit > 0 ? limit : LIMIT_OFFSET_DEFAULT,
    offset: offset !== undefined && offset > 0 ? offset : 0,
  };
}

export function limitOffsetPage<T>(publicUrl: string, req: { url: string }, page: PageWindow, count: number, results: T[]) {
  const { limit, offset } = page;
  const link = (set: Record<string, string>, remove?: string[]) => drfLink(publicUrl, req.url, set, remove);
  const next = offset + limit >= count ? null : link({ limit: String(limit), offset: String(offset + limit) });
  let previous: string | null = null;
  if (offset > 0) previous = offset - limit <= 0 ? link({ limit: String(limit) }, ['offset']) : link({ limit: String(limit), offset: String(offset - limit) });
  return { count, next, previous, results };
}
