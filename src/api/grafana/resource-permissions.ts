// Grafana's resource permissions (/api/access-control/serviceaccounts/:id and /teams/:teamId):
// who may do what on one service account or team, as Terraform's
// grafana_service_account_permission(_item) and team permission resources call them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SA_LEVELS, serviceAccountPermissions, setServiceAccountPermission, setServiceAccountPermissions, setTeamUserPermission, teamLevelName } from '../../domain/resource-permissions.ts';
import { listTeamMembers } from '../../domain/team-members.ts';
import { TEAM_PERMISSIONS } from '../../domain/policy/team-admin.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { avatarUrl } from './presenters.ts';
import { intParam } from './params.ts';
import * as S from './schemas.ts';

const tags = ['grafana: access control'];

const ResourcePermission = Type.Object({
  id: Type.Integer(),
  roleName: Type.String(),
  isManaged: Type.Boolean(),
  isInherited: Type.Boolean(),
  isServiceAccount: Type.Boolean(),
  userId: Type.Optional(Type.Integer()),
  userUid: Type.Optional(Type.String()),
  userLogin: Type.Optional(Type.String()),
  userAvatarUrl: Type.Optional(Type.String()),
  teamId: Type.Optional(Type.Integer()),
  team: Type.Optional(Type.String()),
  teamAvatarUrl: Type.Optional(Type.String()),
  builtInRole: Type.Optional(Type.String()),
  actions: Type.Array(Type.String()),
  permission: Type.String(),
});

// The level is checked by the domain once the account, user or team is found (an unknown one is 404 whatever the body).
const PermissionBody = Type.Object({ permission: Type.Optional(Type.Unknown()) });
const BulkBody = Type.Object({ permissions: Type.Optional(Type.Unknown()) });
const level = (v: unknown) => (typeof v === 'string' ? v : '\u0000');

const base = (roleName: string, actions: string[], permission: string) => ({ id: 0, roleName, isManaged: true, isInherited: false, isServiceAccount: false, actions, permission });

interface BulkItem {
  userId?: number;
  teamId?: number;
  permission?: unknown;
}

export const resourcePermissionRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  const saId = (params: { id: string }) => intParam(params.id, 'serviceAccountId');

  app.get(
    '/api/access-control/serviceaccounts/:id',
    {
      schema: {
        summary: "Who may use or manage a service account: its org's Admins, and users and teams given Edit or Admin",
        tags,
        params: S.IdParam,
        response: { 200: Type.Array(ResourcePermission) },
      },
    },
    async (req) => {
      const rows = await serviceAccountPermissions(ctx, req.principal, saId(req.params));
      return [
        { ...base('basic:admin', SA_LEVELS.Admin, 'Admin'), builtInRole: 'Admin' },
        ...rows.map((r) =>
          r.kind === 'user'
            ? { ...base(`managed:users:${r.id}:permissions`, r.actions, r.permission), userId: r.id }
            : { ...base(`managed:teams:${r.id}:permissions`, r.actions, r.permission), teamId: r.id },
        ),
      ];
    },
  );

  for (const [path, param, kind] of [
    ['users', 'userId', 'user'],
    ['teams', 'teamId', 'team'],
  ] as const) {
    app.post(
      `/api/access-control/serviceaccounts/:id/${path}/:${param}`,
      {
        schema: {
          summary: `Give a ${kind} Edit or Admin on a service account ("" takes it away)`,
          tags,
          params: Type.Object({ id: Type.String(), [param]: Type.String() }),
          body: PermissionBody,
          response: { 200: S.Message },
        },
      },
      async (req) => {
        const params = req.params as Record<string, string>;
        const id = intParam(params.id, 'serviceAccountId');
        await setServiceAccountPermission(ctx, req.principal, id, { kind, id: intParam(params[param], param) }, level(req.body.permission));
        return { message: 'Permission updated' };
      },
    );
  }

  app.post(
    '/api/access-control/serviceaccounts/:id',
    { schema: { summary: "Set several users' and teams' permissions on a service account", tags, params: S.IdParam, body: BulkBody, response: { 200: S.Message } } },
    async (req) => {
      const id = saId(req.params);
      const items = Array.isArray(req.body.permissions) ? (req.body.permissions as BulkItem[]) : [];
      await setServiceAccountPermissions(
        ctx,
        req.principal,
        id,
        items.map((item) => ({
          subject: item?.teamId !== undefined && item?.userId === undefined ? { kind: 'team' as const, id: Number(item.teamId) } : { kind: 'user' as const, id: Number(item?.userId) },
          permission: level(item?.permission),
        })),
      );
      return { message: 'Permissions updated' };
    },
  );

  const teamId = (params: { teamId: string }) => intParam(params.teamId, 'teamId');

  app.get(
    '/api/access-control/teams/:teamId',
    { schema: { summary: "A team's members as permissions: Member or Admin", tags, params: Type.Object({ teamId: Type.String() }), response: { 200: Type.Array(ResourcePermission) } } },
    async (req) => {
      const members = await listTeamMembers(ctx, req.principal, teamId(req.params));
      return members.map((m) => ({
        ...base(`managed:users:${m.userId}:permissions`, [...(TEAM_PERMISSIONS[m.permission] ?? [])], teamLevelName(m.permission)),
        userId: m.userId,
        userUid: m.userUid,
        userLogin: m.login,
        userAvatarUrl: avatarUrl(m.email),
      }));
    },
  );

  app.post(
    '/api/access-control/teams/:teamId/users/:userId',
    {
      schema: {
        summary: 'Make an org member a Member or Admin of a team ("" takes them out)',
        tags,
        params: Type.Object({ teamId: Type.String(), userId: Type.String() }),
        body: PermissionBody,
        response: { 200: S.Message },
      },
    },
    async (req) => {
      await setTeamUserPermission(ctx, req.principal, teamId(req.params), intParam(req.params.userId, 'userId'), level(req.body.permission));
      return { message: 'Permission updated' };
    },
  );
};
