// Administering organizations: /api/orgs...
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { addMember, removeMember, updateMemberRole } from '../../domain/members.ts';
import { userByIdOrUid } from '../../domain/user-lookup.ts';
import { createOrg, deleteOrg, readOrg, readOrgByName, renameOrg, searchOrgs, updateOrgAddress, type ListedOrg } from '../../domain/orgs.ts';
import { readPage } from '../../http/memo/paging-loop.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import * as S from './schemas.ts';
import { grafanaPage } from '../../http/paging/grafana-pages.ts';
import { orgDetails } from './presenters.ts';
import { pathOrgId } from './resolve.ts';
import { memberErrors } from './org.ts';
import { orgUserList, orgUserSearch } from './org-user-lists.ts';

const tags = ['grafana: organizations'];

export const adminOrgRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, memos }) => {
  app.get(
    '/api/orgs',
    { schema: { summary: 'Search all organizations (server admin); page is zero-based', tags, querystring: S.PagingQuery, response: { 200: Type.Array(S.OrgListItem) } }, config: { memoize: true } },
    async (req) => {
      const { page, perPage } = grafanaPage(req.query, 0);
      const { query, name } = req.query;
      const orgs = await readPage<ListedOrg, string>(memos.listings, {
        listing: `orgs:${query ?? ''}:${name ?? ''}`,
        page: page + 1, // zero-based here
        pageSize: perPage,
        keyset: true,
        keyOf: (o) => o.name,
        read: ({ after, skip, limit }) => searchOrgs(ctx, req.principal, { query, name, limit, offset: skip, after }),
      });
      return orgs.map((o) => ({ id: o.id, name: o.name }));
    },
  );

  app.post(
    '/api/orgs',
    {
      schema: { summary: 'Create an organization; the creator becomes its Admin', tags, body: S.NameBody, response: { 200: Type.Object({ orgId: Type.Integer(), message: Type.String() }) } },
    },
    async (req) => {
      const org = await createOrg(ctx, req.principal, { name: req.body.name });
      return { orgId: org.id, message: 'Organization created' };
    },
  );

  app.get(
    '/api/orgs/name/:orgName',
    { schema: { summary: 'Get an organization by exact name (server admin)', tags, params: Type.Object({ orgName: Type.String() }), response: { 200: S.OrgDetails } } },
    async (req) => {
      return orgDetails(await readOrgByName(ctx, req.principal, req.params.orgName));
    },
  );

  app.get('/api/orgs/:orgId', { schema: { summary: 'Get an organization by id', tags, params: S.OrgIdParam, response: { 200: S.OrgDetails } } }, async (req) => {
    return orgDetails(await readOrg(ctx, req.principal, pathOrgId(req.params.orgId)));
  });

  app.put(
    '/api/orgs/:orgId',
    {
      schema: { summary: 'Rename an organization', tags, params: S.OrgIdParam, body: S.NameBody, response: { 200: S.Message } },
      config: { errors: { 'org.name-taken': [400], 'org.not-found': [404, 'Failed to update organization'] } },
    },
    async (req) => {
      await renameOrg(ctx, req.principal, pathOrgId(req.params.orgId), req.body.name);
      return { message: 'Organization updated' };
    },
  );

  app.put(
    '/api/orgs/:orgId/address',
    {
      schema: { summary: "Update an organization's address", tags, params: S.OrgIdParam, body: S.AddressBody, response: { 200: S.Message } },
      config: { errors: { 'org.not-found': [404, 'Failed to update org address'] } },
    },
    async (req) => {
      await updateOrgAddress(ctx, req.principal, pathOrgId(req.params.orgId), req.body);
      return { message: 'Address updated' };
    },
  );

  app.delete(
    '/api/orgs/:orgId',
    {
      schema: { summary: 'Delete an organization with its memberships, teams and tokens', tags, params: S.OrgIdParam, response: { 200: S.Message } },
      config: { errors: { 'org.delete-current': [400, 'Cannot delete your active organization. Please switch to a different organization first.'] } },
    },
    async (req) => {
      await deleteOrg(ctx, req.principal, pathOrgId(req.params.orgId));
      return { message: 'Organization deleted' };
    },
  );

  app.get(
    '/api/orgs/:orgId/users',
    { schema: { summary: 'List the users of an organization', tags, params: S.OrgIdParam, querystring: S.PagingQuery, response: { 200: Type.Array(S.OrgUser) } }, config: { memoize: true } },
    async (req) => orgUserList(ctx, req.principal, pathOrgId(req.params.orgId), req.query),
  );

  app.get(
    '/api/orgs/:orgId/users/search',
    { schema: { summary: 'Search the users of an organization, paged', tags, params: S.OrgIdParam, querystring: S.PagingQuery, response: { 200: S.OrgUserSearch } }, config: { memoize: true } },
    async (req) => orgUserSearch(ctx, req.principal, pathOrgId(req.params.orgId), req.query),
  );

  app.post(
    '/api/orgs/:orgId/users',
    {
      schema: { summary: 'Add an existing user to an organization', tags, params: S.OrgIdParam, body: S.AddOrgUserBody, response: { 200: S.AddOrgUserResult } },
      config: { errors: memberErrors.add },
    },
    async (req) => {
      const { userId } = await addMember(ctx, req.principal, pathOrgId(req.params.orgId), { loginOrEmail: req.body.loginOrEmail, role: req.body.role });
      return { message: 'User added to organization', userId };
    },
  );

  app.patch(
    '/api/orgs/:orgId/users/:userId',
    {
      schema: { summary: "Change a user's role in an organization", tags, params: S.OrgUserParams, body: S.RoleBody, response: { 200: S.Message } },
      config: { errors: memberErrors.update },
    },
    async (req) => {
      await updateMemberRole(ctx, req.principal, pathOrgId(req.params.orgId), userByIdOrUid(ctx.db, req.params.userId), req.body.role);
      return { message: 'Organization user updated' };
    },
  );

  app.delete(
    '/api/orgs/:orgId/users/:userId',
    { schema: { summary: 'Remove a user from an organization (never deletes the user)', tags, params: S.OrgUserParams, response: { 200: S.Message } } },
    async (req) => {
      await removeMember(ctx, req.principal, pathOrgId(req.params.orgId), userByIdOrUid(ctx.db, req.params.userId));
      return { message: 'User removed from organization' };
    },
  );
};
