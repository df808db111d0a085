// /api/organizations/<org>/roles/ and .../roles/<id>/role_memberships/: PostHog's organization
// roles, which are Roster's custom roles of the org (docs/compat/posthog.md#roles): the same
// rows, holders and permissions the Grafana face's /api/access-control shows.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { checkMayChangeRoles, createRole, deleteRole, updateRole, type Role } from '../../domain/access-roles.ts';
import { isDomainError } from '../../domain/errors.ts';
import { uuidv7 } from '../../domain/ids.ts';
import { actingIn } from '../../domain/policy/index.ts';
import { memberOrg } from '../../domain/posthog-access.ts';
import { memberPathUser, orgRole, orgRoleMembers, orgRoles } from '../../domain/posthog-member-reads.ts';
import type { Principal } from '../../domain/principal.ts';
import { assignRole, unassignRole } from '../../domain/role-assignments.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { limitOffset, limitOffsetPage } from '../../http/paging/drf-limit-offset.ts';
import { phInvalid, phNotFound } from './errors.ts';
import { phTime, userBasic } from './presenters.ts';
import { validBody } from './request-body.ts';
import * as S from './schemas.ts';

const tags = ['posthog: roles'];
const notMember = () => phInvalid('invalid_input', 'User does not exist or is not a member of this organization.', 'user_uuid');
const RoleParams = Type.Object({ organization_id: Type.String(), role_id: Type.String() });
const MembershipParams = Type.Object({ organization_id: Type.String(), role_id: Type.String(), id: Type.String() });

export const roleRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, publicUrl }) => {
  /**
   * The org of the URL and the caller acting in it. Every member reads roles, as in PostHog; a
   * change is refused up front unless the caller holds `change` (the domain decides each one too).
   */
  const inOrg = async (p: Principal, param: string, change?: Parameters<typeof checkMayChangeRoles>[2]) => {
    const { org } = await memberOrg(ctx, p, param, change ? 'orgs:write' : 'orgs:read');
    const actor = await actingIn(ctx, p, org.id);
    if (change) await checkMayChangeRoles(ctx, actor, change);
    return { org, actor };
  };
  const members = async (actor: Principal, orgId: number, r: Role) =>
    (await orgRoleMembers(ctx, actor, orgId, r)).map((m) => ({ id: m.uuid, role_id: r.uid, user: userBasic(m), joined_at: phTime(m.created_at), updated_at: phTime(m.created_at) }));
  const present = async (actor: Principal, orgId: number, r: Role) => ({
    id: r.uid,
    name: r.name,
    created_at: phTime(r.created_at),
    created_by: null,
    members: await members(actor, orgId, r),
    is_default: false,
  });

  app.get(
    '/api/organizations/:organization_id/roles',
    { schema: { summary: "List an organization's roles with their members (every member)", tags, params: S.NestedParam, querystring: S.PageQuery, response: { 200: S.paginated(S.Role) } } },
    async (req) => {
      const { org, actor } = await inOrg(req.principal, req.params.organization_id);
      const page = limitOffset(req.query);
      const own = await orgRoles(ctx, actor, org.id);
      const results = [];
      for (const r of own.slice(page.offset, page.offset + page.limit)) results.push(await present(actor, org.id, r));
      return limitOffsetPage(publicUrl, req, page, own.length, results);
    },
  );

  app.post(
    '/api/organizations/:organization_id/roles',
    { schema: { summary: 'Create a role (admins); it holds no permissions until given some on the Grafana face', tags, params: S.NestedParam, body: S.RoleWrite, response: { 201: S.Role } } },
    async (req, reply) => {
      const { org, actor } = await inOrg(req.principal, req.params.organization_id, 'roles:write');
      const { name } = validBody(req);
      return reply.code(201).send(await present(actor, org.id, await createRole(ctx, actor, { uid: uuidv7(), name })));
    },
  );

  app.get('/api/organizations/:organization_id/roles/:id', { schema: { summary: 'Get one role with its members', tags, params: S.NestedIdParam, response: { 200: S.Role } } }, async (req) => {
    const { org, actor } = await inOrg(req.principal, req.params.organization_id);
    return present(actor, org.id, await orgRole(ctx, actor, org.id, req.params.id));
  });

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: '/api/organizations/:organization_id/roles/:id',
      schema: { summary: 'Rename a role (admins)', tags, params: S.NestedIdParam, body: method === 'PUT' ? S.RoleWrite : S.RolePatch, response: { 200: S.Role } },
      handler: async (req) => {
        const { org, actor } = await inOrg(req.principal, req.params.organization_id, 'roles:write');
        const role = await orgRole(ctx, actor, org.id, req.params.id);
        const { name } = validBody(req) as { name?: string };
        if (name === undefined) return present(actor, org.id, role);
        const renamed = await updateRole(ctx, actor, role.uid, { name, version: role.version + 1, permissions: role.permissions });
        return present(actor, org.id, renamed);
      },
    });
  }

  app.delete(
    '/api/organizations/:organization_id/roles/:id',
    { schema: { summary: 'Delete a role (admins); its members lose what it granted', tags, params: S.NestedIdParam, response: { 204: S.NoContent } } },
    async (req, reply) => {
      const { org, actor } = await inOrg(req.principal, req.params.organization_id, 'roles:write');
      await deleteRole(ctx, actor, (await orgRole(ctx, actor, org.id, req.params.id)).uid);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/organizations/:organization_id/roles/:role_id/role_memberships',
    { schema: { summary: "List a role's members", tags, params: RoleParams, querystring: S.PageQuery, response: { 200: S.paginated(S.RoleMembership) } } },
    async (req) => {
      const { org, actor } = await inOrg(req.principal, req.params.organization_id);
      const page = limitOffset(req.query);
      const all = await members(actor, org.id, await orgRole(ctx, actor, org.id, req.params.role_id));
      return limitOffsetPage(publicUrl, req, page, all.length, all.slice(page.offset, page.offset + page.limit));
    },
  );

  app.post(
    '/api/organizations/:organization_id/roles/:role_id/role_memberships',
    { schema: { summary: 'Add a member of the organization to a role (admins)', tags, params: RoleParams, body: S.RoleMembershipWrite, response: { 201: S.RoleMembership } } },
    async (req, reply) => {
      const { org, actor } = await inOrg(req.principal, req.params.organization_id, 'users.roles:add');
      const role = await orgRole(ctx, actor, org.id, req.params.role_id);
      const { user_uuid } = validBody(req);
      const user = await memberPathUser(ctx, actor, org.id, user_uuid);
      if (!user) throw notMember();
      if ((await orgRoleMembers(ctx, actor, org.id, role)).some((m) => m.id === user.id)) throw phInvalid('unique', 'User is already part of the role.', 'user_uuid');
      await assignRole(ctx, actor, { kind: 'user', id: user.id }, role.uid).catch((err) => {
        // Someone outside the org: PostHog's serializer refuses the uuid.
        throw isDomainError(err, 'user.not-found') ? notMember() : err;
      });
      const added = (await members(actor, org.id, role)).find((m) => m.id === user.uuid)!;
      return reply.code(201).send(added);
    },
  );

  app.delete(
    '/api/organizations/:organization_id/roles/:role_id/role_memberships/:id',
    { schema: { summary: 'Take a member out of a role (admins)', tags, params: MembershipParams, response: { 204: S.NoContent } } },
    async (req, reply) => {
      const { org, actor } = await inOrg(req.principal, req.params.organization_id, 'users.roles:remove');
      const role = await orgRole(ctx, actor, org.id, req.params.role_id);
      const member = (await orgRoleMembers(ctx, actor, org.id, role)).find((m) => m.uuid === req.params.id.toLowerCase());
      if (!member) throw phNotFound();
      await unassignRole(ctx, actor, { kind: 'user', id: member.id }, role.uid);
      return reply.code(204).send();
    },
  );
};
