// Grafana's RBAC API (/api/access-control): custom roles, and their assignments to users, teams
// and basic roles (docs/access-control.md). Grafana keeps it for Enterprise; Roster serves it to all.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createRole, deleteRole, getRole, listRoles, updateRole, type Role } from '../../domain/access-roles.ts';
import { assignRole, listAssigned, listBuiltinAssignments, roleAssignments, setRoleAssignments, setRoles, unassignRole, type AccountHolder } from '../../domain/role-assignments.ts';
import { invalid } from '../../domain/errors.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { intParam } from './params.ts';
import * as S from './schemas.ts';

const tags = ['grafana: access control'];

const Permission = Type.Object({ action: Type.String(), scope: Type.String(), updated: Type.String(), created: Type.String() });
const RoleDto = Type.Object({
  version: Type.Integer(),
  uid: Type.String(),
  name: Type.String(),
  displayName: Type.String(),
  description: Type.String(),
  group: Type.String(),
  hidden: Type.Boolean(),
  global: Type.Boolean(),
  permissions: Type.Optional(Type.Array(Permission)),
  updated: Type.String(),
  created: Type.String(),
});

/** Grafana's RoleDTO; lists of all roles leave the permissions out, as Grafana does. */
export function roleDto(r: Role, withPermissions = true) {
  return {
    version: r.version,
    uid: r.uid,
    name: r.name,
    displayName: r.display_name,
    description: r.description,
    group: r.group_name,
    hidden: !!r.hidden,
    global: r.org_id === null,
    ...(withPermissions ? { permissions: r.permissions.map((g) => ({ action: g.action, scope: g.scope, updated: r.updated_at, created: r.created_at })) } : {}),
    updated: r.updated_at,
    created: r.created_at,
  };
}

const PermissionInput = Type.Object({ action: Type.String(), scope: Type.Optional(Type.String()) });
const RoleBody = Type.Object({
  uid: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  group: Type.Optional(Type.String()),
  hidden: Type.Optional(Type.Boolean()),
  global: Type.Optional(Type.Boolean()),
  version: Type.Optional(Type.Integer()),
  permissions: Type.Optional(Type.Array(PermissionInput)),
});
// Assignment bodies are checked by the domain after the user or team is found, so an unknown
// holder answers 404 whatever the body holds (as an id past the database's range does).
const AssignBody = Type.Object({ roleUid: Type.Optional(Type.Unknown()), global: Type.Optional(Type.Unknown()) });
const SetBody = Type.Object({ roleUids: Type.Optional(Type.Unknown()), global: Type.Optional(Type.Unknown()), includeHidden: Type.Optional(Type.Unknown()) });
const BuiltinBody = Type.Object({ roleUid: Type.Optional(Type.Unknown()), builtinRole: Type.Optional(Type.Unknown()), global: Type.Optional(Type.Unknown()) });

const RoleUidParam = Type.Object({ roleUID: Type.String() });
const GlobalQuery = Type.Object({ global: Type.Optional(Type.String()), force: Type.Optional(Type.String()) });

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const uids = (v: unknown) => (Array.isArray(v) ? v.map(text) : []);

/** The two kinds of holder with an id in the path; a user id may name a service account, as in Grafana. */
const HOLDERS = [
  { path: 'users', param: 'userId', kind: 'account', noun: 'user or service account', added: 'Role added to the user.', removed: 'Role removed from user.', set: 'User roles have been updated.' },
  { path: 'teams', param: 'teamId', kind: 'team', noun: 'team', added: 'Role added to the team.', removed: 'Role removed from the team.', set: 'Team roles have been updated.' },
] as const;

export const accessControlRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.get(
    '/api/access-control/status',
    { schema: { summary: 'Whether role-based access control is on: always, in Roster', tags, response: { 200: Type.Object({ enabled: Type.Boolean() }) } } },
    async () => ({ enabled: true }),
  );

  app.get(
    '/api/access-control/roles',
    {
      schema: {
        summary: 'List the custom roles of the current organization and the global ones',
        tags,
        querystring: Type.Object({ includeHidden: Type.Optional(Type.String()) }),
        response: { 200: Type.Array(RoleDto) },
      },
    },
    async (req) => (await listRoles(ctx, req.principal, req.query.includeHidden === 'true')).map((r) => roleDto(r, false)),
  );

  app.post(
    '/api/access-control/roles',
    { schema: { summary: "Create a custom role (global: a server admin's, for every org)", tags, body: RoleBody, response: { 201: RoleDto } }, config: { errors: { 'role.exists': [409] } } },
    async (req, reply) => reply.code(201).send(roleDto(await createRole(ctx, req.principal, req.body))),
  );

  app.get(
    '/api/access-control/roles/:roleUID',
    { schema: { summary: 'Get a role with its permissions', tags, params: RoleUidParam, querystring: GlobalQuery, response: { 200: RoleDto } } },
    async (req) => roleDto(await getRole(ctx, req.principal, req.params.roleUID)),
  );

  app.put(
    '/api/access-control/roles/:roleUID',
    { schema: { summary: 'Update a role: its fields and permissions are replaced, its version must increase', tags, params: RoleUidParam, body: RoleBody, response: { 200: RoleDto } } },
    async (req) => roleDto(await updateRole(ctx, req.principal, req.params.roleUID, req.body)),
  );

  app.delete(
    '/api/access-control/roles/:roleUID',
    { schema: { summary: 'Delete a role; whoever held it loses its permissions at once', tags, params: RoleUidParam, querystring: GlobalQuery, response: { 200: S.Message } } },
    async (req) => {
      await deleteRole(ctx, req.principal, req.params.roleUID);
      return { message: 'Role deleted' };
    },
  );

  const RoleAssignments = Type.Object({ role_uid: Type.String(), users: Type.Array(Type.Integer()), teams: Type.Array(Type.Integer()), service_accounts: Type.Array(Type.Integer()) });
  const assignmentsOf = async (p: Parameters<typeof roleAssignments>[1], uid: string) => {
    const { users, teams, serviceAccounts } = await roleAssignments(ctx, p, uid);
    return { role_uid: uid, users, teams, service_accounts: serviceAccounts };
  };

  app.get(
    '/api/access-control/roles/:roleUID/assignments',
    { schema: { summary: 'The users, teams and service accounts holding a role in the current organization', tags, params: RoleUidParam, response: { 200: RoleAssignments } } },
    async (req) => assignmentsOf(req.principal, req.params.roleUID),
  );

  app.put(
    '/api/access-control/roles/:roleUID/assignments',
    {
      schema: {
        summary: 'Set the users, teams and service accounts holding a role',
        tags,
        params: RoleUidParam,
        body: Type.Object({ users: Type.Optional(Type.Unknown()), teams: Type.Optional(Type.Unknown()), service_accounts: Type.Optional(Type.Unknown()) }),
        response: { 200: RoleAssignments },
      },
    },
    async (req) => {
      const ids = (v: unknown) => (Array.isArray(v) ? v.map((x) => (Number.isSafeInteger(x) ? (x as number) : NaN)) : []);
      const lists = { users: ids(req.body.users), teams: ids(req.body.teams), serviceAccounts: ids(req.body.service_accounts) };
      if (Object.values(lists).flat().some(Number.isNaN)) throw invalid('role.assignments-invalid', 'bad request data');
      await setRoleAssignments(ctx, req.principal, req.params.roleUID, lists);
      return assignmentsOf(req.principal, req.params.roleUID);
    },
  );

  for (const h of HOLDERS) {
    const Params = Type.Object({ [h.param]: Type.String() });
    const WithRole = Type.Object({ [h.param]: Type.String(), roleUID: Type.String() });
    const holder = (params: Record<string, string>): AccountHolder => ({ kind: h.kind, id: intParam(params[h.param], h.param) });

    app.get(
      `/api/access-control/${h.path}/:${h.param}/roles`,
      { schema: { summary: `List the custom roles a ${h.noun} holds in the current organization`, tags, params: Params, response: { 200: Type.Array(RoleDto) } } },
      async (req) => (await listAssigned(ctx, req.principal, holder(req.params as Record<string, string>))).map((r) => roleDto(r)),
    );

    app.post(
      `/api/access-control/${h.path}/:${h.param}/roles`,
      { schema: { summary: `Assign a custom role to a ${h.noun}`, tags, params: Params, body: AssignBody, response: { 200: S.Message } } },
      async (req) => {
        await assignRole(ctx, req.principal, holder(req.params as Record<string, string>), text(req.body.roleUid));
        return { message: h.added };
      },
    );

    app.put(
      `/api/access-control/${h.path}/:${h.param}/roles`,
      { schema: { summary: `Set the custom roles a ${h.noun} holds: the others are taken away`, tags, params: Params, body: SetBody, response: { 200: S.Message } } },
      async (req) => {
        await setRoles(ctx, req.principal, holder(req.params as Record<string, string>), uids(req.body.roleUids));
        return { message: h.set };
      },
    );

    app.delete(
      `/api/access-control/${h.path}/:${h.param}/roles/:roleUID`,
      { schema: { summary: `Take a custom role away from a ${h.noun}`, tags, params: WithRole, querystring: GlobalQuery, response: { 200: S.Message } } },
      async (req) => {
        const params = req.params as Record<string, string>;
        await unassignRole(ctx, req.principal, holder(params), params.roleUID);
        return { message: h.removed };
      },
    );
  }

  app.get(
    '/api/access-control/builtin-roles',
    { schema: { summary: 'The custom roles each basic role holds in the current organization', tags, response: { 200: Type.Record(Type.String(), Type.Array(RoleDto)) } } },
    async (req) => {
      const byRole = await listBuiltinAssignments(ctx, req.principal);
      return Object.fromEntries(Object.entries(byRole).map(([name, roles]) => [name, roles.map((r) => roleDto(r))]));
    },
  );

  app.post('/api/access-control/builtin-roles', { schema: { summary: 'Give a custom role to everyone with a basic role', tags, body: BuiltinBody, response: { 200: S.Message } } }, async (req) => {
    await assignRole(ctx, req.principal, { kind: 'builtin', name: text(req.body.builtinRole) }, text(req.body.roleUid));
    return { message: 'Built-in role grant added' };
  });

  app.delete(
    '/api/access-control/builtin-roles/:builtinRole/roles/:roleUID',
    {
      schema: {
        summary: 'Take a custom role away from a basic role',
        tags,
        params: Type.Object({ builtinRole: Type.String(), roleUID: Type.String() }),
        querystring: GlobalQuery,
        response: { 200: S.Message },
      },
    },
    async (req) => {
      await unassignRole(ctx, req.principal, { kind: 'builtin', name: req.params.builtinRole }, req.params.roleUID);
      return { message: 'Built-in role grant removed' };
    },
  );
};
