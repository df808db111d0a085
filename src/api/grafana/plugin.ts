// The Grafana face: /api/org, /api/orgs, /api/users, /api/user, /api/admin, /api/teams,
// /api/serviceaccounts, /api/health, /api/frontend/settings.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../domain/context.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Authenticator } from '../../http/auth.ts';
import { sendAuthFailure, sendGrafanaError } from './errors.ts';
import { grafanaErrorDocs } from './error-schemas.ts';
import { documentErrors } from '../../http/error-docs.ts';
import { admit } from '../../http/admit.ts';
import { settle } from '../../http/maybe.ts';
import { currentOrgRoutes } from './org.ts';
import { adminOrgRoutes } from './orgs.ts';
import { userRoutes } from './users.ts';
import { adminUserRoutes } from './admin.ts';
import { adminStatsRoutes } from './admin-stats.ts';
import { miscRoutes } from './misc.ts';
import { teamRoutes } from './teams.ts';
import { serviceAccountRoutes } from './service-accounts.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** No credentials needed. */
    public?: boolean;
    errors?: Record<string, [number, string?]>;
    badRequest?: string;
  }
}

export interface FaceOptions {
  ctx: Ctx;
  auth: Authenticator;
}

/** Go's JSON binding matches field names case-insensitively (grafana-client sends "OrgId"). */
function canonicalizeKeys(req: FastifyRequest) {
  const props = (req.routeOptions.schema?.body as { properties?: Record<string, unknown> } | undefined)?.properties;
  const body = req.body as Record<string, unknown> | undefined;
  if (!props || !body || typeof body !== 'object' || Array.isArray(body)) return;
  const byLower = new Map(Object.keys(props).map((k) => [k.toLowerCase(), k]));
  for (const key of Object.keys(body)) {
    const canonical = byLower.get(key.toLowerCase());
    if (canonical && canonical !== key && !(canonical in body)) {
      body[canonical] = body[key];
      delete body[key];
    }
  }
}

const GRAFANA_CREDENTIALS = { tokens: { serviceAccount: true, personalKey: false } };

export async function grafanaFace(app: FastifyInstance, opts: FaceOptions) {
  documentErrors(app, grafanaErrorDocs);
  app.decorateRequest('principal', null as unknown as Principal);
  app.setErrorHandler((err, req, reply) => sendGrafanaError(req, reply, err));

  // Callback-style: a memoized caller is admitted without a promise (http/maybe.ts).
  app.addHook('onRequest', (req, reply, done) => {
    if (req.routeOptions.config?.public) return done();
    settle(admit(opts.auth, req, GRAFANA_CREDENTIALS, 'grafana'), (a) => {
      if (a.failure) return void sendAuthFailure(reply, a.failure);
      if (a.retryAfter) return void reply.code(429).header('retry-after', String(a.retryAfter)).send({ message: 'Too many requests' });
      done();
    }, done);
  });
  app.addHook('preValidation', (req, _reply, done) => {
    canonicalizeKeys(req);
    done();
  });

  await app.register(miscRoutes, opts);
  await app.register(currentOrgRoutes, opts);
  await app.register(adminOrgRoutes, opts);
  await app.register(userRoutes, opts);
  await app.register(adminUserRoutes, opts);
  await app.register(adminStatsRoutes, opts);
  await app.register(teamRoutes, opts);
  await app.register(serviceAccountRoutes, opts);
}
