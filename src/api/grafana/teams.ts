// Teams of the current organization: /api/teams...
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { invalid } from '../../domain/errors.ts';
import { addTeamMember, listTeamMembers, removeTeamMember, setTeamMemberships, updateTeamMember } from '../../domain/team-members.ts';
import { createTeam, deleteTeam, getTeamPreferences, saveTeamPreferences, searchTeams, teamFor, updateTeam } from '../../domain/teams.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import * as S from './schemas.ts';
import { intParam, parseSort } from './params.ts';
import { grafanaPage } from '../../http/paging/grafana-pages.ts';
import { teamDto, teamMemberDto, TeamMemberSchema, TeamSchema, TeamSearchSchema } from './team-presenter.ts';

const tags = ['grafana: teams'];
const TEAM_SORT = { name: 'name', email: 'email', memberCount: 'memberCount' } as const;
const MemberParams = Type.Object({ id: Type.String(), userId: Type.String() });
const TeamBody = Type.Object({ name: Type.Optional(Type.String()), email: Type.Optional(Type.String()) });
const teamId = (req: { params: { id: string } }) => intParam(req.params.id, 'teamId');

export const teamRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.get(
    '/api/teams/search',
    { schema: { summary: 'Search the teams of the current organization, paged', tags, querystring: S.PagingQuery, response: { 200: TeamSearchSchema } }, config: { memoize: true } },
    async (req) => {
      const paging = grafanaPage(req.query);
      const { total, teams } = await searchTeams(ctx, req.principal, {
        query: req.query.query,
        name: req.query.name,
        limit: paging.limit,
        offset: paging.offset,
        sort: parseSort(req.query.sort, TEAM_SORT),
      });
      return { totalCount: total, teams: teams.map(teamDto), page: paging.page, perPage: paging.perPage };
    },
  );

  app.post(
    '/api/teams',
    {
      schema: {
        summary: 'Create a team; a user creator becomes its admin',
        tags,
        body: Type.Object({ name: Type.String({ minLength: 1 }), email: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ teamId: Type.Integer(), uid: Type.String(), message: Type.String() }) },
      },
    },
    async (req) => {
      const team = await createTeam(ctx, req.principal, req.body);
      return { teamId: team.id, uid: team.uid, message: 'Team created' };
    },
  );

  app.get('/api/teams/:id', { schema: { summary: 'Get a team', tags, params: S.IdParam, response: { 200: TeamSchema } } }, async (req) =>
    teamDto(await teamFor(ctx, req.principal, teamId(req), 'teams:read')),
  );

  app.put(
    '/api/teams/:id',
    {
      schema: { summary: "Update a team's name and email", tags, params: S.IdParam, body: TeamBody, response: { 200: S.Message } },
      config: { errors: { 'team.name-taken': [400] } },
    },
    async (req) => {
      await updateTeam(ctx, req.principal, teamId(req), req.body ?? {});
      return { message: 'Team updated' };
    },
  );

  app.delete('/api/teams/:id', { schema: { summary: 'Delete a team', tags, params: S.IdParam, response: { 200: S.Message } } }, async (req) => {
    await deleteTeam(ctx, req.principal, teamId(req));
    return { message: 'Team deleted' };
  });

  app.get(
    '/api/teams/:id/members',
    { schema: { summary: 'List the members of a team', tags, params: S.IdParam, response: { 200: Type.Array(TeamMemberSchema) } }, config: { memoize: true } },
    async (req) => (await listTeamMembers(ctx, req.principal, teamId(req))).map(teamMemberDto),
  );

  app.post(
    '/api/teams/:id/members',
    {
      schema: { summary: 'Add a member of the organization to a team', tags, params: S.IdParam, body: Type.Object({ userId: Type.Integer() }), response: { 200: S.Message } },
      config: { errors: { 'team.member-exists': [400] } },
    },
    async (req) => {
      const id = teamId(req);
      // binding:"Required": a zero userId is missing.
      if (req.body.userId === 0) throw invalid('team.member-required', 'bad request data');
      await addTeamMember(ctx, req.principal, id, req.body.userId);
      return { message: 'Member added to Team' };
    },
  );

  const Names = Type.Array(Type.String({ maxLength: 320 }), { maxItems: 10000 });
  app.put(
    '/api/teams/:id/members',
    {
      schema: {
        summary: "Replace a team's members and admins (logins or emails) in one change",
        tags,
        params: S.IdParam,
        body: Type.Object({ members: Type.Optional(Names), admins: Type.Optional(Names) }),
        response: { 200: S.Message },
      },
    },
    async (req) => {
      await setTeamMemberships(ctx, req.principal, teamId(req), { members: req.body.members ?? [], admins: req.body.admins ?? [] });
      return { message: 'Team memberships have been updated' };
    },
  );

  app.put(
    '/api/teams/:id/members/:userId',
    {
      schema: { summary: "Set a team member's permission (0 member, 4 admin)", tags, params: MemberParams, body: Type.Object({ permission: Type.Integer() }), response: { 200: S.Message } },
    },
    async (req) => {
      const id = teamId(req);
      await updateTeamMember(ctx, req.principal, id, intParam(req.params.userId, 'userId'), req.body.permission);
      return { message: 'Team member updated' };
    },
  );

  app.delete('/api/teams/:id/members/:userId', { schema: { summary: 'Remove a member from a team', tags, params: MemberParams, response: { 200: S.Message } } }, async (req) => {
    const id = teamId(req);
    await removeTeamMember(ctx, req.principal, id, intParam(req.params.userId, 'userId'));
    return { message: 'Team Member removed' };
  });

  app.get('/api/teams/:id/preferences', { schema: { summary: "Get a team's preferences", tags, params: S.IdParam, response: { 200: S.Preferences } } }, async (req) =>
    getTeamPreferences(ctx, req.principal, teamId(req)),
  );

  app.put('/api/teams/:id/preferences', { schema: { summary: "Replace a team's preferences", tags, params: S.IdParam, body: S.Preferences, response: { 200: S.Message } } }, async (req) => {
    await saveTeamPreferences(ctx, req.principal, teamId(req), (req.body ?? {}) as Record<string, unknown>);
    return { message: 'Preferences updated' };
  });
};
