// The Grafana face: /api/org, /api/orgs, /api/users, /api/user, /api/admin, /api/teams,
// /api/serviceaccounts, /api/access-control, /api/health, /api/frontend/settings.
import type { FastifyInstance } from 'fastify';
import { canonicalizeKeys } from './canonical-keys.ts';
import { dropNullFields } from './null-fields.ts';
import { depsOf, type FaceDeps } from '../../http/face/deps.ts';
import type { Face } from '../../http/face/face.ts';
import { registerFace } from '../../http/face/register.ts';
import { grafanaAuthFailure, grafanaErrors } from './errors.ts';
import { grafanaErrorDocs } from './error-schemas.ts';
import { currentOrgRoutes } from './org.ts';
import { adminOrgRoutes } from './orgs.ts';
import { userRoutes } from './users.ts';
import { adminUserRoutes } from './admin.ts';
import { adminStatsRoutes } from './admin-stats.ts';
import { miscRoutes } from './misc.ts';
import { teamRoutes } from './teams.ts';
import { teamGroupRoutes } from './team-groups.ts';
import { serviceAccountRoutes } from './service-accounts.ts';
import { authTokenRoutes } from './auth-tokens.ts';
import { passwordResetRoutes } from './password-reset.ts';
import { quotaRoutes } from './quotas.ts';
import { orgInviteRoutes } from './org-invites.ts';
import { accessControlRoutes } from './access-control.ts';
import { resourcePermissionRoutes } from './resource-permissions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No credentials needed. */
    public?: boolean;
  }
}

export const grafana: Face = {
  name: 'grafana',
  admission: {
    credentials: { tokens: { serviceAccount: true, personalKey: false } },
    open: (req) => !!req.routeOptions.config?.public,
    authFailure: grafanaAuthFailure,
    throttled: (wait) => ({ status: 429, headers: { 'retry-after': String(wait) }, body: { message: 'Too many requests' } }),
  },
  errors: grafanaErrors,
  errorDocs: grafanaErrorDocs,
};

export async function grafanaFace(app: FastifyInstance, options: FaceDeps) {
  const deps = depsOf(options);
  registerFace(app, deps, grafana);
  app.addHook('preValidation', (req, _reply, done) => {
    dropNullFields(req);
    canonicalizeKeys(req);
    done();
  });

  for (const routes of [
    miscRoutes,
    currentOrgRoutes,
    adminOrgRoutes,
    userRoutes,
    adminUserRoutes,
    adminStatsRoutes,
    teamRoutes,
    teamGroupRoutes,
    serviceAccountRoutes,
    authTokenRoutes,
    passwordResetRoutes,
    quotaRoutes,
    orgInviteRoutes,
    accessControlRoutes,
    resourcePermissionRoutes,
  ]) {
    await app.register(routes, deps);
  }
}
