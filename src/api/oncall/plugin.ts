// The OnCall (Grafana IRM) face: /api/v1/organizations, /api/v1/users, /api/v1/teams.
// Own authentication (service-account tokens as Bearer or raw, Basic, session), DRF error bodies,
// 405 for methods a route lacks, and DRF's Allow header.
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../domain/context.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Authenticator } from '../../http/auth.ts';
import { allowHeader } from './allowed-methods.ts';
import { throttledMessage } from '../../http/rate-limit.ts';
import { INVALID_TOKEN, NOT_FOUND, sendDrfError } from './errors.ts';
import { organizationRoutes } from './organizations.ts';
import { BadRequest, Detail } from './schemas.ts';
import { documentErrors } from '../../http/error-docs.ts';
import { admit } from '../../http/admit.ts';
import { settle } from '../../http/maybe.ts';
import { teamRoutes } from './teams.ts';
import { userRoutes } from './users.ts';

export interface OncallOptions {
  ctx: Ctx;
  auth: Authenticator;
  /** ROSTER_PUBLIC_URL without a trailing slash: the base of absolute next/previous links. */
  publicUrl: string;
}

export async function oncallFace(app: FastifyInstance, opts: OncallOptions) {
  // Routes document their own 400/403/404/405; these are the statuses any of them can answer.
  documentErrors(app, { every: { 400: BadRequest, 429: Detail, 500: Detail, 503: Detail }, withBody: { 413: Detail, 415: Detail } });
  app.decorateRequest('principal', null as unknown as Principal);
  app.setErrorHandler((err, req, reply) => sendDrfError(req, reply, err));
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(NOT_FOUND));

  // X-Grafana-URL is accepted and ignored: a token already names its org.
  app.addHook('onRequest', (req, reply, done) => {
    settle(admit(opts.auth, req, { rawToken: true, tokens: { serviceAccount: true, personalKey: false } }, 'oncall'), (a) => {
      // A cross-site write with the session cookie gets DRF's CSRF wording (http/csrf.ts).
      if (a.failure === 'cross-site') return void reply.code(403).send({ detail: 'CSRF Failed: Origin checking failed - does not match any trusted origins.' });
      if (a.failure) return void reply.code(403).send(INVALID_TOKEN);
      // DRF's throttle body, Retry-After and RateLimit-Reset (docs/compat/oncall.md#errors-and-throttling).
      const wait = a.retryAfter;
      if (wait) return void reply.code(429).headers({ 'retry-after': String(wait), 'ratelimit-reset': String(wait) }).send({ detail: throttledMessage(wait) });
      done();
    }, done);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const header = allowHeader(app, req.routeOptions.url);
    if (header) reply.header('allow', header);
    return payload;
  });

  await organizationRoutes(app, opts);
  await userRoutes(app, opts);
  await teamRoutes(app, opts);
}
