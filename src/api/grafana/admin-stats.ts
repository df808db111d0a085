// /api/admin/settings and /api/admin/stats: what grafana-client's admin element reads. Settings
// are Roster's own configuration in Grafana's section layout; stats count Roster's store
// (Roster has no dashboards, data sources or alerts, so those count zero).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { authorizeGlobal } from '../../domain/policy/index.ts';
import type { FaceOptions } from './plugin.ts';
import { GRAFANA_VERSION } from './misc.ts';

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
      const count = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(ctx.db)).rows[0]?.n ?? 0);
      // A user counts once, in their highest role across orgs (as Grafana's stats).
      const byRole = (role: string, activeSince?: string) => sql<{ n: number }>`
        select count(*) as n from users u where (select case max(case m.role when 'Admin' then 3 when 'Editor' then 2 when 'Viewer' then 1 else 0 end)
          when 3 then 'Admin' when 2 then 'Editor' when 1 then 'Viewer' else 'None' end from org_members m where m.user_id = u.id) = ${role}
          ${activeSince ? sql`and u.last_seen_at >= ${activeSince}` : sql``}`;
      const since = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString();
      const now = new Date().toISOString();
      return {
        orgs: await count(sql`select count(*) as n from orgs`),
        users: await count(sql`select count(*) as n from users`),
        admins: await count(byRole('Admin')),
        editors: await count(byRole('Editor')),
        viewers: await count(byRole('Viewer')),
        activeUsers: await count(sql`select count(*) as n from users where last_seen_at >= ${since}`),
        activeAdmins: await count(byRole('Admin', since)),
        activeEditors: await count(byRole('Editor', since)),
        activeViewers: await count(byRole('Viewer', since)),
        activeSessions: await count(sql`select count(*) as n from sessions where expires_at > ${now}`),
        teams: await count(sql`select count(*) as n from teams`),
        serviceAccounts: await count(sql`select count(*) as n from service_accounts`),
        serviceAccountTokens: await count(sql`select count(*) as n from tokens where kind = 'sa'`),
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
