// The SCIM 2.0 face (/scim/v2, RFC 7643/7644; docs/scim.md): an identity provider provisions the
// users and teams of one org with that org's SCIM token (Bearer only). Bodies are
// application/scim+json (plain JSON is accepted too); errors are SCIM error bodies.
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../../domain/errors.ts';
import { depsOf, type FaceDeps } from '../../http/face/deps.ts';
import type { Face } from '../../http/face/face.ts';
import { registerFace } from '../../http/face/register.ts';
import { parseJsonBody } from '../../http/json-body.ts';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery.ts';
import { scimAuthFailure, scimErrorBody, scimErrors, scimThrottled, SCIM_CONTENT_TYPE } from './errors.ts';
import { scimGroupRoutes } from './groups.ts';
import { listResponse } from './list.ts';
import { sendScim } from './reply.ts';
import { AnyObject, ErrorBody as E, IdParams, ListResponse } from './schemas.ts';
import { scimUserRoutes } from './users.ts';
import type { ScimDeps } from './deps.ts';

export const SCIM_PREFIX = '/scim/v2';

export const scim: Face = {
  name: 'scim',
  admission: { credentials: { tokens: { serviceAccount: false, personalKey: false, scim: true }, bearerOnly: true }, authFailure: scimAuthFailure, throttled: scimThrottled },
  errors: scimErrors,
  errorDocs: { every: { 400: E, 401: E, 403: E, 404: E, 429: E, 500: E, 503: E }, withBody: { 413: E, 415: E } },
};

const tags = ['scim: discovery'];

const discoveryRoutes: FastifyPluginAsyncTypebox<ScimDeps> = async (app, { base }) => {
  app.get('/ServiceProviderConfig', { schema: { summary: 'The features this service provider supports', tags, response: { 200: AnyObject } } }, async (_req, reply) =>
    sendScim(reply, 200, serviceProviderConfig(base)),
  );
  app.get('/ResourceTypes', { schema: { summary: 'The resource types (User, Group)', tags, response: { 200: ListResponse } } }, async (_req, reply) => {
    const all = resourceTypes(base);
    return sendScim(reply, 200, listResponse(all.length, { offset: 0, limit: all.length }, all));
  });
  app.get('/ResourceTypes/:id', { schema: { summary: 'One resource type', tags, params: IdParams, response: { 200: AnyObject } } }, async (req, reply) => {
    const found = resourceTypes(base).find((r) => r.id === req.params.id);
    if (!found) throw notFound('scim.not-found', 'Resource not found');
    return sendScim(reply, 200, found);
  });
  app.get('/Schemas', { schema: { summary: 'The schemas of the resources', tags, response: { 200: ListResponse } } }, async (_req, reply) => {
    const all = schemas(base);
    return sendScim(reply, 200, listResponse(all.length, { offset: 0, limit: all.length }, all));
  });
  app.get('/Schemas/:id', { schema: { summary: 'One schema', tags, params: IdParams, response: { 200: AnyObject } } }, async (req, reply) => {
    const found = schemas(base).find((s) => s.id === req.params.id);
    if (!found) throw notFound('scim.not-found', 'Resource not found');
    return sendScim(reply, 200, found);
  });
};

export async function scimFace(app: FastifyInstance, options: FaceDeps) {
  const deps: ScimDeps = { ...depsOf(options), base: `${options.publicUrl}${SCIM_PREFIX}` };
  app.addContentTypeParser(SCIM_CONTENT_TYPE, { parseAs: 'buffer' }, parseJsonBody);
  registerFace(app, deps, scim);
  app.setNotFoundHandler((_req, reply) => reply.code(404).type(SCIM_CONTENT_TYPE).send(scimErrorBody(404, 'No such endpoint')));
  for (const routes of [discoveryRoutes, scimUserRoutes, scimGroupRoutes]) await app.register(routes, deps);
}
