// DRF's LimitOffsetPagination: {count, next, previous, results}, default page 100, absolute links
// whose query keys are sorted (replace_query_param / remove_query_param).
import type { FastifyRequest } from 'fastify';

export const PAGE_SIZE = 100;

export interface Page {
  limit: number;
  offset: number;
}

/**
 * The page a validated query asks for (drf-validator.ts has dropped a limit or offset that is not
 * an integer): a limit that is not positive is the default, an offset below 0 is 0.
 */
export function pageOf(query: { limit?: number; offset?: number }): Page {
  const { limit, offset } = query;
  return {
    limit: limit !== undefined && limit > 0 ? limit : PAGE_SIZE,
    offset: offset !== undefined && offset > 0 ? offset : 0,
  };
}

function link(publicUrl: string, req: FastifyRequest, set: Record<string, string>, remove: string[] = []): string {
  const [path, query = ''] = req.url.split('?', 2);
  const groups = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(query)) groups.set(k, [...(groups.get(k) ?? []), v]);
  for (const [k, v] of Object.entries(set)) groups.set(k, [v]);
  for (const k of remove) groups.delete(k);
  const out = new URLSearchParams();
  for (const k of [...groups.keys()].sort()) for (const v of groups.get(k)!) out.append(k, v);
  const qs = out.toString();
  return `${publicUrl}${path}${qs ? `?${qs}` : ''}`;
}

export function envelope<T>(publicUrl: string, req: FastifyRequest, page: Page, count: number, results: T[]) {
  const { limit, offset } = page;
  const next = offset + limit >= count ? null : link(publicUrl, req, { limit: String(limit), offset: String(offset + limit) });
  let previous: string | null = null;
  if (offset > 0) {
    previous =
      offset - limit <= 0
        ? link(publicUrl, req, { limit: String(limit) }, ['offset'])
        : link(publicUrl, req, { limit: String(limit), offset: String(offset - limit) });
  }
  return { count, next, previous, results };
}
