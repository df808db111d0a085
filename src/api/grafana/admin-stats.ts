// /api/admin/settings and /api/admin/stats: what grafana-client's admin element reads. Settings
// are Roster's own configuration in Grafana's section layout; stats count Roster's store
// (Roster has no dashboards, data sources or alerts, so those count zero).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { authorizeGlobal } from '../../domain/access.ts';
import type { FaceOptions } from './plugin.ts';
import { GRAFANA_VERSION } from './misc.ts';
import { serverCounts } from '../../store/server-stats.ts';

const tags = ['grafana: admin'];

export const adminStatsRoutes: FastifyPluginAsyncTypebox<FaceOptions> = async (app, { ctx }) => {
  app.get(
    '/api/admin/settings',
    {
      schema: {
        summary: 'Server settings by section (server admin)',
        tags,
        response: { 200: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())) },
      },
    },
    async (req) => {
      authorizeGlobal(req.principal, 'users:read');
      return {
        server: { app_mode: 'production', version: GRAFANA_VERSION },
        database: { type: ctx.dialect === 'sqlite' ? 'sqlite3' : 'postgres' },
        users: {
          allow_org_create: String(ctx.settings.allowOrgCreate),
          auto_assign_org: 'true',
          auto_assign_org_id: '1',
          auto_assign_org_role: ctx.settings.autoAssignOrgRole,
        },
        security: { admin_password: '************', secret_key: '************' },
        plugins: {},
      };
    },
  );

  const Count = Type.Integer();
  app.get(
    '/api/admin/stats',
    {
      schema: {
        summary: 'Counts of orgs, users by role, teams, sessions and more (server admin)',
        tags,
        response: {
          200: Type.Object({
            orgs: Count, users: Count, admins: Count, editors: Count, viewers: Count,
            activeUsers: Count, activeAdmins: Count, activeEditors: Count, activeViewers: Count, activeSessions: Count,
            teams: Count, serviceAccounts: Count, serviceAccountTokens: Count, apiKeys: Count,
            dashboards: Count, datasources: Count, alerts: Count, playlists: Count, snapshots: Count, stars: Count, tags: Count,
          }),
        },
      },
    },
    async (req) => {
      authorizeGlobal(req.principal, 'users:read');
      const since = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString();
      return {
        ...(await serverCounts(ctx.db, since, new Date().toISOString())),
        apiKeys: 0,
        dashboards: 0,
        datasources: 0,
        alerts: 0,
        playlists: 0,
        snapshots: 0,
        stars: 0,
        tags: 0,
      };
    },
  );
};
