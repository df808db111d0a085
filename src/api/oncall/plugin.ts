// The OnCall (Grafana IRM) face: /api/v1/organizations, /api/v1/users, /api/v1/teams.
// Own authentication (service-account tokens as Bearer or raw, Basic, session), DRF error bodies,
// 405 for methods a route lacks, and DRF's Allow header.
import type { FastifyInstance, HTTPMethods } from 'fastify';
import type { Ctx } from '../../domain/context.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Authenticator } from '../../http/auth.ts';
import { INVALID_TOKEN, methodNotAllowed, NOT_FOUND, sendDrfError } from './errors.ts';
import { organizationRoutes } from './organizations.ts';
import { teamRoutes } from './teams.ts';
import { userRoutes } from './users.ts';

export interface OncallOptions {
  ctx: Ctx;
  auth: Authenticator;
  /** ROSTER_PUBLIC_URL without a trailing slash: the base of absolute next/previous links. */
  publicUrl: string;
}

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const DRF_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The Allow header of each route pattern, in DRF's order. */
const allowHeaders = new WeakMap<FastifyInstance, Map<string, string>>();

/**
 * Completes a path: methods it lacks answer 405 (after authentication, as DRF), OPTIONS answers
 * DRF's metadata, and every response carries the Allow header.
 */
export function finishRoute(app: FastifyInstance, url: string, name: string, allowed: HTTPMethods[]) {
  const allow = DRF_ORDER.filter((m) => allowed.includes(m as HTTPMethods) || m === 'HEAD' || m === 'OPTIONS').join(', ');
  allowHeaders.get(app)?.set(app.prefix + url, allow);
  const missing = ALL_METHODS.filter((m) => !allowed.includes(m));
  if (missing.length) {
    app.route({ method: missing, url, schema: { hide: true }, handler: async (req) => Promise.reject(methodNotAllowed(req.method)) });
  }
  app.route({
    method: 'OPTIONS',
    url,
    schema: { hide: true },
    handler: async () => ({
      name,
      description: '',
      renders: ['application/json', 'text/html'],
      parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
    }),
  });
}

export async function oncallFace(app: FastifyInstance, opts: OncallOptions) {
  app.decorateRequest('principal', null as unknown as Principal);
  app.setErrorHandler((err, req, reply) => sendDrfError(req, reply, err));
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(NOT_FOUND));
  const allow = new Map<string, string>();
  allowHeaders.set(app, allow);

  app.addHook('onRequest', async (req, reply) => {
    // X-Grafana-URL is accepted and ignored: a token already names its org.
    const result = await opts.auth.authenticate(req, { rawToken: true, tokens: { serviceAccount: true, personalKey: false } });
    if (!result.ok) return reply.code(403).send(INVALID_TOKEN);
    req.principal = result.principal;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const header = allow.get(req.routeOptions.url ?? '');
    if (header) reply.header('allow', header);
    return payload;
  });

  await organizationRoutes(app, opts);
  await userRoutes(app, opts);
  await teamRoutes(app, opts);
}
