// /scim/v2/Users: the org's users as the identity provider provisions them (domain/scim-users.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { deprovisionUser, findProvisionedUsers, provisionedUserPage, provisionUser, updateProvisionedUser, type ProvisionedUser, type ScimUserKey } from '../../domain/scim-users.ts';
import { AnyObject, ErrorBody as E, IdParams, ListQuery, ListResponse, NoContent, ReadQuery, Resource } from './schemas.ts';
import { notFound } from '../../domain/errors.ts';
import { equalityOn, matcher, parseFilter } from './filter.ts';
import { listResponse, pageOf, pagingOf, project } from './list.ts';
import { patchResource } from './patch.ts';
import { checkIfMatch, sendScim } from './reply.ts';
import { desiredUser, USER_ATTRIBUTES, USER_SCHEMA, userResource } from './resources.ts';
import type { ScimDeps } from './deps.ts';

const tags = ['scim: users'];
const INDEXED = ['username', 'emails.value', 'emails', 'externalid', 'id'];

function keyOf(eq: { path: string; value: string }): ScimUserKey {
  if (eq.path === 'username') return { login: eq.value };
  if (eq.path === 'externalid') return { externalId: eq.value };
  if (eq.path === 'id') return { uuid: eq.value };
  return { email: eq.value };
}

export const scimUserRoutes: FastifyPluginAsyncTypebox<ScimDeps> = async (app, { ctx, base }) => {
  const present = (u: ProvisionedUser) => userResource(u, base);
  const one = async (req: FastifyRequest, id: string) => {
    const [user] = await findProvisionedUsers(ctx, req.principal, { uuid: id });
    if (!user) throw notFound('scim.not-found', 'Resource not found');
    return present(user);
  };

  app.get('/Users', { schema: { summary: "List or filter the org's users", tags, querystring: ListQuery, response: { 200: ListResponse } } }, async (req, reply) => {
    const paging = pagingOf(req.query);
    if (req.query.filter === undefined) {
      const page = await provisionedUserPage(ctx, req.principal, paging.offset, paging.limit);
      return sendScim(
        reply,
        200,
        listResponse(
          page.total,
          paging,
          page.users.map((u) => project(present(u), USER_SCHEMA, req.query)),
        ),
      );
    }
    const f = parseFilter(req.query.filter);
    const eq = equalityOn(f, INDEXED);
    const test = matcher(f);
    const all = (await findProvisionedUsers(ctx, req.principal, eq && keyOf(eq))).map(present).filter(test);
    return sendScim(reply, 200, pageOf(all, paging, USER_SCHEMA, req.query));
  });

  app.get('/Users/:id', { schema: { summary: 'A user', tags, params: IdParams, querystring: ReadQuery, response: { 200: Resource } } }, async (req, reply) => {
    const resource = await one(req, req.params.id);
    return sendScim(reply, 200, project(resource, USER_SCHEMA, req.query), resource);
  });

  app.post(
    '/Users',
    { schema: { summary: 'Provision a user into the org (a user of another org with that userName or email joins)', tags, body: AnyObject, response: { 201: Resource, 409: E } } },
    async (req, reply) => {
      const resource = present(await provisionUser(ctx, req.principal, desiredUser(req.body)));
      reply.header('location', resource.meta.location as string);
      return sendScim(reply, 201, resource, resource);
    },
  );

  app.put('/Users/:id', { schema: { summary: 'Replace a user', tags, params: IdParams, body: AnyObject, response: { 200: Resource, 409: E, 412: E } } }, async (req, reply) => {
    const user = await updateProvisionedUser(ctx, req.principal, req.params.id, (cur) => {
      const resource = present(cur);
      checkIfMatch(req, resource);
      return desiredUser(req.body, resource);
    });
    const resource = present(user);
    return sendScim(reply, 200, resource, resource);
  });

  app.patch(
    '/Users/:id',
    { schema: { summary: 'Change a user with PATCH operations (all or nothing)', tags, params: IdParams, body: AnyObject, response: { 200: Resource, 409: E, 412: E } } },
    async (req, reply) => {
      const user = await updateProvisionedUser(ctx, req.principal, req.params.id, (cur) => {
        const resource = present(cur);
        checkIfMatch(req, resource);
        return desiredUser(patchResource(resource, req.body, USER_ATTRIBUTES, USER_SCHEMA), resource);
      });
      const resource = present(user);
      return sendScim(reply, 200, resource, resource);
    },
  );

  app.delete(
    '/Users/:id',
    { schema: { summary: 'Deprovision a user: they leave the org (and are disabled when in no other org)', tags, params: IdParams, response: { 204: NoContent, 412: E } } },
    async (req, reply) => {
      await deprovisionUser(ctx, req.principal, req.params.id, (cur) => checkIfMatch(req, present(cur)));
      return reply.code(204).send();
    },
  );
};
