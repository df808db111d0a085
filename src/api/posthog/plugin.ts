// The PostHog face: /api/organizations (+ members, invites, integrations), /api/personal_api_keys,
// /api/users/@me. Personal API keys authenticate only here; Basic and session callers too.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../domain/context.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Authenticator } from '../../http/auth.ts';
import { authError, PhError, sendPosthogError } from './errors.ts';
import { drfValidatorCompiler } from './drf-validator.ts';
import { isValidationError, posthogValidationError } from './validation-errors.ts';
import { posthogErrorDocs } from './error-schemas.ts';
import { documentErrors } from '../../http/error-docs.ts';
import { admit } from '../../http/admit.ts';
import { settle } from '../../http/maybe.ts';
import { throttledMessage } from '../../http/rate-limit.ts';
import { orgRoutes } from './orgs.ts';
import { memberRoutes } from './members.ts';
import { inviteRoutes } from './invites.ts';
import { integrationRoutes } from './integrations.ts';
import { personalKeyRoutes } from './personal-keys.ts';
import { meRoutes } from './me.ts';
import { isKnownPath, posthogNotFound } from './not-found.ts';

export interface PosthogOptions {
  ctx: Ctx;
  auth: Authenticator;
  /** Absolute base of pagination links. */
  publicUrl: string;
}

/**
 * PostHog reads a personal key from the Authorization header, else the body's
 * `personal_api_key`, else the query string; the 401 names where it looked.
 */
function keySource(req: FastifyRequest): string {
  if (req.headers.authorization) return 'Authorization header';
  const fromBody = (req.body as Record<string, unknown> | undefined)?.personal_api_key;
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.personal_api_key;
  const [value, source] = typeof fromBody === 'string' && fromBody ? [fromBody, 'body'] : [fromQuery, 'query string'];
  if (typeof value === 'string' && value) req.headers.authorization = `Bearer ${value}`;
  return source;
}

export async function posthogFace(app: FastifyInstance, opts: PosthogOptions) {
  documentErrors(app, posthogErrorDocs);
  app.decorateRequest('principal', null as unknown as Principal);
  app.setErrorHandler((err, req, reply) => sendPosthogError(req, reply, isValidationError(err) ? posthogValidationError(req, err) : err));
  // Requests are validated with DRF's coercions and worded with its messages (validation-errors.ts);
  // a body's refusal waits until the handler has checked the caller (request-body.ts).
  app.setValidatorCompiler(drfValidatorCompiler);
  app.addHook('onRoute', (route) => {
    if (route.schema?.body) route.attachValidation = true;
  });
  // PostHog parses JSON (and forms, which Roster does not take); plain text is 415 there too.
  app.removeContentTypeParser('text/plain');

  // After body parsing, so a key in the body can be found (as PostHog does).
  app.addHook('preValidation', (req, reply, done) => {
    // An unknown endpoint is a 404 whoever asks; a known one with the wrong method is checked first.
    if (req.is404 && !isKnownPath(req)) return done();
    const source = keySource(req); // first: a key from the body or query becomes the header
    settle(admit(opts.auth, req, { tokens: { serviceAccount: false, personalKey: true } }, 'posthog'), (a) => {
      if (a.failure) {
        const header = req.headers.authorization?.trim() ?? '';
        const scheme = header.split(/\s+/, 1)[0].toLowerCase();
        const failure = header && scheme !== 'bearer' && scheme !== 'basic' ? 'missing' : a.failure;
        return done(authError(failure, scheme === 'bearer', source));
      }
      if (a.retryAfter) {
        reply.header('retry-after', String(a.retryAfter));
        return done(new PhError(429, 'throttled_error', 'throttled', throttledMessage(a.retryAfter)));
      }
      done();
    }, done);
  });

  await app.register(orgRoutes, opts);
  await app.register(memberRoutes, opts);
  await app.register(inviteRoutes, opts);
  await app.register(integrationRoutes, opts);
  await app.register(personalKeyRoutes, opts);
  await app.register(meRoutes, opts);
  await posthogNotFound(app);
}
