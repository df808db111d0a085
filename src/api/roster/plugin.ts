// Roster's native API (/api/roster/v1): what no product face can write. Basic, session and
// service-account tokens (Bearer); errors as {"error": {"code", "message", "field"?}}.
import type { FastifyInstance } from 'fastify';
import { depsOf, type FaceDeps } from '../../http/face/deps.ts';
import type { Face } from '../../http/face/face.ts';
import { registerFace } from '../../http/face/register.ts';
import { auditRoutes } from './audit.ts';
import { contactRoutes } from './contact.ts';
import { eventRoutes } from './events.ts';
import { nativeIntegrationRoutes } from './integrations.ts';
import { nativeInviteRoutes } from './invites.ts';
import { rosterAuthFailure, rosterError, rosterErrors, rosterThrottled } from './errors.ts';
import { orgSettingsRoutes } from './org-settings.ts';
import { twoFactorRoutes } from './two-factor.ts';
import { scimTokenRoutes } from './scim-tokens.ts';
import { webhookRoutes } from './webhooks.ts';
import { ErrorBody as E } from './schemas.ts';

export const roster: Face = {
  name: 'roster',
  admission: { credentials: { tokens: { serviceAccount: true, personalKey: false } }, authFailure: rosterAuthFailure, throttled: rosterThrottled },
  errors: rosterErrors,
  errorDocs: { every: { 400: E, 401: E, 403: E, 404: E, 429: E, 500: E, 503: E }, withBody: { 409: E, 413: E, 415: E } },
};

export async function rosterApi(app: FastifyInstance, options: FaceDeps) {
  const deps = depsOf(options);
  registerFace(app, deps, roster);
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(rosterError('route.not-found', 'No such route')));
  // An empty PATCH body is an empty change, not a type error.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && req.method !== 'GET' && req.method !== 'HEAD') req.body = {};
  });
  for (const routes of [contactRoutes, orgSettingsRoutes, auditRoutes, nativeInviteRoutes, nativeIntegrationRoutes, twoFactorRoutes, scimTokenRoutes, eventRoutes, webhookRoutes])
    await app.register(routes, deps);
}
