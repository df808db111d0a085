// The PostHog face: /api/organizations (+ members, invites, integrations), /api/personal_api_keys,
// /api/users/@me. Personal API keys authenticate only here; Basic and session callers too.
import type { FastifyInstance } from 'fastify';
import { depsOf, type FaceDeps } from '../../http/face/deps.ts';
import type { Face } from '../../http/face/face.ts';
import { registerFace } from '../../http/face/register.ts';
import { posthogAuthFailure, readKey } from './credentials.ts';
import { posthogThrottled } from './errors.ts';
import { posthogErrors } from './error-renderer.ts';
import { drfValidatorCompiler } from './drf-validator.ts';
import type { LazyCompilers } from '../../http/lazy-compilers.ts';
import { posthogErrorDocs } from './error-schemas.ts';
import { orgRoutes } from './orgs.ts';
import { memberRoutes } from './members.ts';
import { inviteRoutes } from './invites.ts';
import { integrationRoutes } from './integrations.ts';
import { personalKeyRoutes } from './personal-keys.ts';
import { meRoutes } from './me.ts';
import { roleRoutes } from './roles.ts';
import { isKnownPath, posthogNotFound } from './not-found.ts';

export const posthog: Face = {
  name: 'posthog',
  admission: {
    credentials: { tokens: { serviceAccount: false, personalKey: true } },
    // After body parsing, so a key in the body can be found (as PostHog does).
    after: 'body',
    // An unknown endpoint is a 404 whoever asks; a known one with the wrong method is checked first.
    open: (req) => req.is404 && !isKnownPath(req),
    prepare: readKey,
    authFailure: posthogAuthFailure,
    throttled: posthogThrottled,
  },
  errors: posthogErrors,
  errorDocs: posthogErrorDocs,
};

export async function posthogFace(app: FastifyInstance, options: FaceDeps & { compilers: LazyCompilers }) {
  const deps = depsOf(options);
  registerFace(app, deps, posthog);
  // Requests are validated with DRF's coercions and worded with its messages (validation-errors.ts);
  // a body's refusal waits until the handler has checked the caller (request-body.ts).
  app.setValidatorCompiler(options.compilers.validator(drfValidatorCompiler));
  app.addHook('onRoute', (route) => {
    if (route.schema?.body) route.attachValidation = true;
  });
  // PostHog parses JSON (and forms, which Roster does not take); plain text is 415 there too.
  app.removeContentTypeParser('text/plain');

  for (const routes of [orgRoutes, memberRoutes, inviteRoutes, integrationRoutes, personalKeyRoutes, meRoutes, roleRoutes]) {
    await app.register(routes, deps);
  }
  await posthogNotFound(app);
}
