// Health and the frontend settings a Grafana client reads its version from.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { mayCreateOrgs } from '../../domain/orgs.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { RETRY_AFTER, unavailableRetryAfter } from '../../store/unavailable.ts';
import { pingDatabase } from '../../store/ping.ts';

/** The Grafana version whose HTTP API Roster speaks (clients branch on it). */
export const GRAFANA_VERSION = '12.0.0';
const tags = ['grafana: misc'];
const Health = Type.Object({ commit: Type.String(), database: Type.String(), version: Type.String() });

/** /api/health while the database does not answer (also before it was ever reached: cli/serve.ts). */
export const HEALTH_FAILING = { commit: 'roster', database: 'failing', version: GRAFANA_VERSION };

export const miscRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, auth }) => {
  app.get(
    '/api/health',
    {
      schema: { summary: 'Readiness: 200 once the database answers', tags, response: { 200: Health, 503: Health } },
      config: { public: true },
    },
    async (_req, reply) => {
      try {
        await pingDatabase(ctx.db);
        return { commit: 'roster', database: 'ok', version: GRAFANA_VERSION };
      } catch (err) {
        reply.header('retry-after', String(unavailableRetryAfter(err) ?? RETRY_AFTER.outage));
        return reply.code(503).send(HEALTH_FAILING);
      }
    },
  );

  app.get(
    '/api/frontend/settings',
    {
      schema: {
        summary: 'Frontend settings with buildInfo.version',
        tags,
        response: {
          200: Type.Object({
            buildInfo: Type.Object({ version: Type.String(), commit: Type.String(), edition: Type.String(), env: Type.String() }),
            allowOrgCreate: Type.Boolean(),
            appSubUrl: Type.String(),
            oauth: Type.Record(Type.String(), Type.Object({ name: Type.String(), icon: Type.String() }), {
              description: 'Single sign-on providers by Grafana name: generic_oauth when ROSTER_OIDC_ISSUER is set',
            }),
            oauthAutoLogin: Type.Boolean({ description: 'The sign-in page goes straight to the provider (ROSTER_OIDC_AUTO_LOGIN)' }),
          }),
        },
      },
      config: { public: true },
    },
    async (req) => {
      const result = await auth.authenticate(req, { tokens: { serviceAccount: true, personalKey: false } });
      const p = result.ok ? result.principal : null;
      return {
        buildInfo: { version: GRAFANA_VERSION, commit: 'roster', edition: 'Open Source', env: 'production' },
        allowOrgCreate: !!p && mayCreateOrgs(ctx, p),
        appSubUrl: '',
        oauth: (ctx.settings.sso ? { generic_oauth: { name: ctx.settings.sso.name, icon: 'signin' } } : {}) as Record<string, { name: string; icon: string }>,
        oauthAutoLogin: !!ctx.settings.sso?.autoLogin,
      };
    },
  );
};
