// /api/admin/settings and /api/admin/stats: what grafana-client's admin element reads. Settings
// are Roster's own configuration in Grafana's section layout; stats count Roster's store
// (Roster has no dashboards, data sources or alerts, so those count zero).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { readServerSettings, readServerStats } from '../../domain/server-stats.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { GRAFANA_VERSION } from './misc.ts';

const tags = ['grafana: admin'];

export const adminStatsRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
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
      const { settings, dialect } = readServerSettings(ctx, req.principal);
      return {
        server: { app_mode: 'production', version: GRAFANA_VERSION },
        database: { type: dialect === 'sqlite' ? 'sqlite3' : 'postgres' },
        users: {
          allow_org_create: String(settings.allowOrgCreate),
          auto_assign_org: 'true',
          auto_assign_org_id: '1',
          auto_assign_org_role: settings.autoAssignOrgRole,
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
            orgs: Count,
            users: Count,
            admins: Count,
            editors: Count,
            viewers: Count,
            activeUsers: Count,
            activeAdmins: Count,
            activeEditors: Count,
            activeViewers: Count,
            activeSessions: Count,
            teams: Count,
            serviceAccounts: Count,
            serviceAccountTokens: Count,
            apiKeys: Count,
            dashboards: Count,
            datasources: Count,
            alerts: Count,
            playlists: Count,
            snapshots: Count,
            stars: Count,
            tags: Count,
          }),
        },
      },
    },
    async (req) => {
      return {
        ...(await readServerStats(ctx, req.principal)),
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
