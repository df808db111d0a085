// Grafana's team sync API: the external groups a team is linked to, /api/teams/:id/groups.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { addTeamGroup, listTeamGroups, removeTeamGroup } from '../../domain/team-groups.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import * as S from './schemas.ts';
import { intParam } from './params.ts';

const tags = ['grafana: teams'];
const TeamGroup = Type.Object({ orgId: Type.Integer(), teamId: Type.Integer(), groupId: Type.String() });
const teamId = (req: { params: { id: string } }) => intParam(req.params.id, 'teamId');

export const teamGroupRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.get(
    '/api/teams/:id/groups',
    { schema: { summary: 'List the external groups whose members team sync puts in the team', tags, params: S.IdParam, response: { 200: Type.Array(TeamGroup) } } },
    async (req) => listTeamGroups(ctx, req.principal, teamId(req)),
  );

  app.post(
    '/api/teams/:id/groups',
    {
      schema: {
        summary: "Link an external group (a name in the identity provider's groups claim) to a team",
        tags,
        params: S.IdParam,
        body: Type.Object({ groupId: Type.String() }),
        response: { 200: S.Message },
      },
    },
    async (req) => {
      await addTeamGroup(ctx, req.principal, teamId(req), req.body.groupId);
      return { message: 'Group added to Team' };
    },
  );

  app.delete(
    '/api/teams/:id/groups',
    { schema: { summary: 'Unlink an external group from a team', tags, params: S.IdParam, querystring: Type.Object({ groupId: Type.Optional(Type.String()) }), response: { 200: S.Message } } },
    async (req) => {
      await removeTeamGroup(ctx, req.principal, teamId(req), req.query.groupId);
      return { message: 'Team Group removed' };
    },
  );
};
