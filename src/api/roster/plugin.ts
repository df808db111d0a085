// Roster's native API (/api/roster/v1): what no product face can write. Basic, session and
// service-account tokens (Bearer); errors as {"error": {"code", "message", "field"?}}.
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../domain/context.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Authenticator } from '../../http/auth.ts';
import { auditRoutes } from './audit.ts';
import { contactRoutes } from './contact.ts';
import { nativeIntegrationRoutes } from './integrations.ts';
import { nativeInviteRoutes } from './invites.ts';
import { rosterError, sendAuthFailure, sendRosterError } from './errors.ts';
import { orgSettingsRoutes } from './org-settings.ts';
import { ErrorBody } from './schemas.ts';
import { documentErrors } from '../../http/error-docs.ts';
import { admit } from '../../http/admit.ts';
import { settle } from '../../http/maybe.ts';

export interface RosterApiOptions {
  ctx: Ctx;
  auth: Authenticator;
}

export async function rosterApi(app: FastifyInstance, opts: RosterApiOptions) {
  const E = ErrorBody;
  documentErrors(app, { every: { 400: E, 401: E, 403: E, 404: E, 429: E, 500: E, 503: E }, withBody: { 409: E, 413: E, 415: E } });
  app.decorateRequest('principal', null as unknown as Principal);
  app.setErrorHandler((err, req, reply) => sendRosterError(req, reply, err));
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(rosterError('route.not-found', 'No such route')));
  app.addHook('onRequest', (req, reply, done) => {
    settle(admit(opts.auth, req, { tokens: { serviceAccount: true, personalKey: false } }, 'roster'), (a) => {
      if (a.failure) return void sendAuthFailure(reply, a.failure);
      const wait = a.retryAfter;
      if (wait) return void reply.code(429).header('retry-after', String(wait)).send(rosterError('rate-limited', `Too many requests; retry in ${wait} s`));
      done();
    }, done);
  });
  // An empty PATCH body is an empty change, not a type error.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && req.method !== 'GET' && req.method !== 'HEAD') req.body = {};
  });
  await contactRoutes(app, opts);
  await orgSettingsRoutes(app, opts);
  await auditRoutes(app, opts);
  await app.register(nativeInviteRoutes, { ctx: opts.ctx, auth: opts.auth });
  await app.register(nativeIntegrationRoutes, { ctx: opts.ctx, auth: opts.auth });
}
