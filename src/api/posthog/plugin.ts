// The PostHog face: /api/organizations (+ members, invites, integrations), /api/personal_api_keys,
// /api/users/@me. Personal API keys authenticate only here; Basic and session callers too.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthFailure } from '../../http/auth.ts';
import { depsOf, type FaceDeps } from '../../http/face/deps.ts';
import type { Face } from '../../http/face/face.ts';
import { registerFace } from '../../http/face/register.ts';
import { throttledMessage } from '../../http/rate-limit.ts';
import { authError, PhError, posthogErrors, rendered } from './errors.ts';
import { posthogErrorDocs } from './error-schemas.ts';
import { orgRoutes } from './orgs.ts';
import { memberRoutes } from './members.ts';
import { inviteRoutes } from './invites.ts';
import { integrationRoutes } from './integrations.ts';
import { personalKeyRoutes } from './personal-keys.ts';
import { meRoutes } from './me.ts';
import { isKnownPath, posthogNotFound } from './not-found.ts';

/** Where each request's personal key was read from, for the 401 that names it. */
const keySources = new WeakMap<FastifyRequest, string>();

/**
 * PostHog reads a personal key from the Authorization header, else the body's
 * `personal_api_key`, else the query string; the 401 names where it looked.
 */
function readKey(req: FastifyRequest): void {
  if (req.headers.authorization) return void keySources.set(req, 'Authorization header');
  const fromBody = (req.body as Record<string, unknown> | undefined)?.personal_api_key;
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.personal_api_key;
  const [value, source] = typeof fromBody === 'string' && fromBody ? [fromBody, 'body'] : [fromQuery, 'query string'];
  if (typeof value === 'string' && value) req.headers.authorization = `Bearer ${value}`;
  keySources.set(req, source);
}

/** A scheme PostHog does not know counts as no credentials at all. */
function authFailure(failure: AuthFailure, req: FastifyRequest) {
  const header = req.headers.authorization?.trim() ?? '';
  const scheme = header.split(/\s+/, 1)[0].toLowerCase();
  const seen = header && scheme !== 'bearer' && scheme !== 'basic' ? 'missing' : failure;
  return rendered(authError(seen, scheme === 'bearer', keySources.get(req)));
}

export const posthog: Face = {
  name: 'posthog',
  admission: {
    credentials: { tokens: { serviceAccount: false, personalKey: true } },
    // After body parsing, so a key in the body can be found (as PostHog does).
    after: 'body',
    // An unknown endpoint is a 404 whoever asks; a known one with the wrong method is checked first.
    open: (req) => req.is404 && !isKnownPath(req),
    prepare: readKey,
    authFailure,
    throttled: (wait) => {
      const r = rendered(new PhError(429, 'throttled_error', 'throttled', throttledMessage(wait)));
      return { ...r, headers: { 'retry-after': String(wait) } };
    },
  },
  errors: posthogErrors,
  errorDocs: posthogErrorDocs,
};

export async function posthogFace(app: FastifyInstance, options: FaceDeps) {
  const deps = depsOf(options);
  registerFace(app, deps, posthog);
  // Bodies are read field by field with DRF's messages (fields.ts); schemas document them.
  app.setValidatorCompiler(() => () => true);
  // PostHog parses JSON (and forms, which Roster does not take); plain text is 415 there too.
  app.removeContentTypeParser('text/plain');

  for (const routes of [orgRoutes, memberRoutes, inviteRoutes, integrationRoutes, personalKeyRoutes, meRoutes]) {
    await app.register(routes, deps);
  }
  await posthogNotFound(app);
}
