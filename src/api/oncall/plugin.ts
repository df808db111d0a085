// The OnCall (Grafana IRM) face: /api/v1/organizations, /api/v1/users, /api/v1/teams.
// Service-account tokens as Bearer or raw, Basic, session; DRF error bodies, 405 for methods a
// route lacks, and DRF's Allow header.
import type { FastifyInstance } from 'fastify';
import { depsOf, type FaceDeps } from '../../http/face/deps.ts';
import type { Face } from '../../http/face/face.ts';
import { registerFace } from '../../http/face/register.ts';
import { allowHeader } from './allowed-methods.ts';
import { NOT_FOUND, oncallAuthFailure, oncallErrors, oncallThrottled } from './errors.ts';
import { organizationRoutes } from './organizations.ts';
import { BadRequest, Detail } from './schemas.ts';
import { teamRoutes } from './teams.ts';
import { userRoutes } from './users.ts';

export const oncall: Face = {
  name: 'oncall',
  // X-Grafana-URL is accepted and ignored: a token already names its org.
  admission: { credentials: { rawToken: true, tokens: { serviceAccount: true, personalKey: false } }, authFailure: oncallAuthFailure, throttled: oncallThrottled },
  errors: oncallErrors,
  // Routes document their own 400/403/404/405; these are the statuses any of them can answer.
  errorDocs: { every: { 400: BadRequest, 429: Detail, 500: Detail, 503: Detail }, withBody: { 413: Detail, 415: Detail } },
};

export async function oncallFace(app: FastifyInstance, options: FaceDeps) {
  const deps = depsOf(options);
  registerFace(app, deps, oncall);
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(NOT_FOUND));
  app.addHook('onSend', async (req, reply, payload) => {
    const header = allowHeader(req.routeOptions.url);
    if (header) reply.header('allow', header);
    return payload;
  });

  for (const routes of [organizationRoutes, userRoutes, teamRoutes]) await app.register(routes, deps);
}
