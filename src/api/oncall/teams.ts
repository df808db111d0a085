// The org's teams (docs/compat/oncall.md#teams): page size 50, exact `name` filter, also applied on retrieve.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../../domain/errors.ts';
import { queryOrgTeams, readOrgTeam } from '../../domain/org-teams.ts';
import { paginate } from '../../http/paging/drf-page-number.ts';
import { finishRoute } from './allowed-methods.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { team } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['oncall: teams'];
const last = (v: string | string[] | undefined) => (Array.isArray(v) ? v[v.length - 1] : v);

export const teamRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, publicUrl }) => {
  app.get(
    '/teams',
    {
      schema: {
        summary: "List the organization's teams (page size 50); `name` is an exact, case-sensitive match",
        tags,
        querystring: S.TeamListQuery,
        response: { 200: S.PageOf(S.Team), ...S.errorResponses },
      },
      config: { memoize: true },
    },
    async (req) => {
      const p = req.principal;
      const name = last(req.query.name) || undefined;
      return paginate(req, publicUrl, 50, async (limit, offset) => {
        const { total, teams } = await queryOrgTeams(ctx, p, { name, limit, offset });
        return { total, items: teams.map(team) };
      });
    },
  );
  finishRoute(app, '/teams', 'Team List', ['GET']);

  app.get(
    '/teams/:id',
    {
      schema: {
        summary: 'Get a team of the organization by OnCall public id (a `name` that does not match is 404, as OnCall)',
        tags,
        params: S.IdParam,
        querystring: S.TeamListQuery,
        response: { 200: S.Team, ...S.errorResponses },
      },
    },
    async (req) => {
      const found = await readOrgTeam(ctx, req.principal, req.params.id, { name: last(req.query.name) || undefined });
      if (!found) throw notFound('team.not-found');
      return team(found);
    },
  );
  finishRoute(app, '/teams/:id', 'Team Instance', ['GET']);
};
