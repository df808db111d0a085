// The org's users (Roster role None is not an OnCall user), the current user, filters
// (docs/compat/oncall.md#users).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findDirectoryEntry, queryDirectory } from '../../domain/directory.ts';
import { notFound } from '../../domain/errors.ts';
import type { Role } from '../../domain/policy/index.ts';
import { DrfError } from './errors.ts';
import { paginate } from '../../http/paging/drf-page-number.ts';
import { finishRoute } from './allowed-methods.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { shortUser, user } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['oncall: users'];

/** OnCall's internal role numbers, as its `roles` filter takes them. */
const ROLE_CHOICES: Record<string, Role> = { '0': 'Admin', '1': 'Editor', '2': 'Viewer', '3': 'None' };

/** Django's QueryDict.get: the last value of a repeated parameter. */
const last = (v: string | string[] | undefined) => (Array.isArray(v) ? v[v.length - 1] : v);
const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** django-filter's MultipleChoiceFilter: every value must be a choice, else 400 naming the first bad one. */
function parseRoles(value: string | string[] | undefined): Role[] | undefined {
  const values = all(value);
  if (!values.length) return undefined;
  for (const v of values) {
    if (!(v in ROLE_CHOICES)) throw new DrfError(400, { roles: [`Select a valid choice. ${v} is not one of the available choices.`] });
  }
  return values.map((v) => ROLE_CHOICES[v]);
}

export const userRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, publicUrl }) => {
  app.get(
    '/users',
    {
      schema: {
        summary: "List the organization's users (page size 100); filters username, email, roles, team_id, short",
        tags,
        querystring: S.UserListQuery,
        response: { 200: S.PageOf(S.UserListItem), 400: S.BadRequest, ...S.errorResponses },
      },
      config: { memoize: true },
    },
    async (req) => {
      const p = req.principal;
      const q = req.query;
      const short = last(q.short) === 'true';
      return paginate(req, publicUrl, 100, async (limit, offset) => {
        const { total, entries } = await queryDirectory(ctx, p, () => ({
          login: last(q.username) || undefined,
          email: last(q.email) || undefined,
          roles: parseRoles(q.roles),
          teamPublicId: last(q.team_id) || undefined,
          limit,
          offset,
        }));
        return { total, items: entries.map(short ? shortUser : user) };
      });
    },
  );
  finishRoute(app, '/users', 'User List', ['GET']);

  app.get(
    '/users/current',
    {
      schema: {
        summary: 'The calling user (a service account has no OnCall user: 403 with a detail saying so)',
        tags,
        response: { 200: S.User, ...S.errorResponses },
      },
    },
    async (req) => {
      const entry = await findDirectoryEntry(ctx, req.principal, 'self');
      if (!entry) throw notFound('user.not-found');
      return user(entry);
    },
  );
  finishRoute(app, '/users/current', 'User Instance', ['GET']);

  app.get(
    '/users/:id',
    {
      schema: {
        summary: 'Get a user of the organization by OnCall public id',
        tags,
        params: S.IdParam,
        response: { 200: S.User, ...S.errorResponses },
      },
    },
    async (req) => {
      const entry = await findDirectoryEntry(ctx, req.principal, { publicId: req.params.id });
      if (!entry) throw notFound('user.not-found');
      return user(entry);
    },
  );
  finishRoute(app, '/users/:id', 'User Instance', ['GET']);
};
