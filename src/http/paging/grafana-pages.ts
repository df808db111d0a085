// Grafana's paging: `perpage` (default 1000) and `page`, one-based on most listings and
// zero-based on /api/orgs; bad values never fail (c.QueryInt reads them as 0). The answer's
// shape is each endpoint's own (a bare array, or the rows with totalCount, page and perPage).
import { goQueryInt } from './query-numbers.ts';
import { pageWindow, type PageWindow } from './window.ts';

export const GRAFANA_PER_PAGE = 1000;

export interface GrafanaPage extends PageWindow {
  /** The page as the caller numbers it (zero-based where `first` is 0). */
  page: number;
  perPage: number;
}

export function grafanaPage(q: { perpage?: string; page?: string }, first: 0 | 1 = 1): GrafanaPage {
  let perPage = goQueryInt(q.perpage);
  if (perPage <= 0) perPage = GRAFANA_PER_PAGE;
  const page = Math.max(goQueryInt(q.page), first);
  return { page, perPage, ...pageWindow(page - first + 1, perPage) };
}
