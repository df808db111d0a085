// /scim/v2/Groups: the org's teams (domain/scim-groups.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { notFound } from '../../domain/errors.ts';
import { deprovisionGroup, findProvisionedGroups, provisionGroup, updateProvisionedGroup, type ProvisionedGroup, type ScimGroupKey } from '../../domain/scim-groups.ts';
import { equalityOn, matcher, parseFilter } from './filter.ts';
import { pageOf, pagingOf, project } from './list.ts';
import { patchResource } from './patch.ts';
import { checkIfMatch, sendScim } from './reply.ts';
import { desiredGroup, GROUP_ATTRIBUTES, GROUP_SCHEMA, groupResource } from './resources.ts';
import { AnyObject, ErrorBody as E, IdParams, ListQuery, ListResponse, NoContent, ReadQuery, Resource } from './schemas.ts';
import type { ScimDeps } from './deps.ts';

const tags = ['scim: groups'];

function keyOf(eq: { path: string; value: string }): ScimGroupKey | undefined {
  if (eq.path === 'externalid') return { externalId: eq.value };
  if (eq.path === 'id') return { uid: eq.value };
  // displayName compares ignoring case; team names are stored as written: no index lookup.
  return undefined;
}

export const scimGroupRoutes: FastifyPluginAsyncTypebox<ScimDeps> = async (app, { ctx, base }) => {
  const present = (g: ProvisionedGroup) => groupResource(g, base);
  const one = async (req: FastifyRequest, id: string) => {
    const [group] = await findProvisionedGroups(ctx, req.principal, { uid: id });
    if (!group) throw notFound('scim.not-found', 'Resource not found');
    return present(group);
  };

  app.get('/Groups', { schema: { summary: "List or filter the org's groups (its teams)", tags, querystring: ListQuery, response: { 200: ListResponse } } }, async (req, reply) => {
    const paging = pagingOf(req.query);
    const f = req.query.filter === undefined ? undefined : parseFilter(req.query.filter);
    const eq = f && equalityOn(f, ['externalid', 'id']);
    const test = f ? matcher(f) : () => true;
    const all = (await findProvisionedGroups(ctx, req.principal, eq && keyOf(eq))).map(present).filter(test);
    return sendScim(reply, 200, pageOf(all, paging, GROUP_SCHEMA, req.query));
  });

  app.get('/Groups/:id', { schema: { summary: 'A group', tags, params: IdParams, querystring: ReadQuery, response: { 200: Resource } } }, async (req, reply) => {
    const resource = await one(req, req.params.id);
    return sendScim(reply, 200, project(resource, GROUP_SCHEMA, req.query), resource);
  });

  app.post('/Groups', { schema: { summary: 'Create a group (a team of the org) with its members', tags, body: AnyObject, response: { 201: Resource, 409: E } } }, async (req, reply) => {
    const resource = present(await provisionGroup(ctx, req.principal, desiredGroup(req.body)));
    reply.header('location', resource.meta.location as string);
    return sendScim(reply, 201, resource, resource);
  });

  app.put('/Groups/:id', { schema: { summary: 'Replace a group', tags, params: IdParams, body: AnyObject, response: { 200: Resource, 409: E, 412: E } } }, async (req, reply) => {
    const group = await updateProvisionedGroup(ctx, req.principal, req.params.id, (cur) => {
      checkIfMatch(req, present(cur));
      return desiredGroup(req.body);
    });
    const resource = present(group);
    return sendScim(reply, 200, resource, resource);
  });

  app.patch(
    '/Groups/:id',
    { schema: { summary: 'Change a group with PATCH operations (all or nothing)', tags, params: IdParams, body: AnyObject, response: { 200: Resource, 409: E, 412: E } } },
    async (req, reply) => {
      const group = await updateProvisionedGroup(ctx, req.principal, req.params.id, (cur) => {
        const resource = present(cur);
        checkIfMatch(req, resource);
        return desiredGroup(patchResource(resource, req.body, GROUP_ATTRIBUTES, GROUP_SCHEMA));
      });
      const resource = present(group);
      return sendScim(reply, 200, resource, resource);
    },
  );

  app.delete('/Groups/:id', { schema: { summary: 'Delete a group (its team)', tags, params: IdParams, response: { 204: NoContent, 412: E } } }, async (req, reply) => {
    await deprovisionGroup(ctx, req.principal, req.params.id, (cur) => checkIfMatch(req, present(cur)));
    return reply.code(204).send();
  });
};
