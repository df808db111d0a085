// The two org-user listings Grafana serves for the current org and for any org by id.
import type { Ctx } from '../../domain/context.ts';
import { listMembers } from '../../domain/members.ts';
import type { Principal } from '../../domain/principal.ts';
import { parseSort, queryInt } from './params.ts';
import { grafanaPage } from '../../http/paging/grafana-pages.ts';
import { orgUser } from './presenters.ts';

const MEMBER_SORT = { login: 'login', email: 'email', name: 'name', role: 'role', lastSeenAtAge: 'lastSeenAt', created: 'created' } as const;
const BY_LOGIN = [
  { key: 'login' as const, desc: false },
  { key: 'email' as const, desc: false },
];

type ListQuery = { query?: string; limit?: string; perpage?: string; page?: string; sort?: string };

/** GET .../users: every member (or `limit` of them), by login. */
export async function orgUserList(ctx: Ctx, p: Principal, orgId: number, q: ListQuery) {
  const { members } = await listMembers(ctx, p, orgId, { query: q.query, limit: Math.max(queryInt(q.limit), 0), sort: BY_LOGIN });
  return members.map(orgUser);
}

/** GET .../users/search: one-based pages with the total. */
export async function orgUserSearch(ctx: Ctx, p: Principal, orgId: number, q: ListQuery) {
  const paging = grafanaPage(q);
  const sort = parseSort(q.sort, MEMBER_SORT);
  const { total, members } = await listMembers(ctx, p, orgId, {
    query: q.query,
    limit: paging.limit,
    offset: paging.offset,
    sort: sort.length ? sort : BY_LOGIN,
  });
  return { totalCount: total, orgUsers: members.map(orgUser), page: paging.page, perPage: paging.perPage };
}
