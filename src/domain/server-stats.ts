// What a server admin may read about the whole server: its settings and counts over the store.
import { sql } from 'kysely';
import type { Ctx, DomainSettings } from './context.ts';
import { authorizeGlobal } from './policy/index.ts';
import type { Principal } from './principal.ts';

export interface ServerStats {
  orgs: number;
  users: number;
  admins: number;
  editors: number;
  viewers: number;
  activeUsers: number;
  activeAdmins: number;
  activeEditors: number;
  activeViewers: number;
  activeSessions: number;
  teams: number;
  serviceAccounts: number;
  serviceAccountTokens: number;
}

/** The settings that shape the rules, and the database kind. */
export function readServerSettings(ctx: Ctx, p: Principal): { settings: DomainSettings; dialect: Ctx['dialect'] } {
  authorizeGlobal(p, 'users:read');
  return { settings: ctx.settings, dialect: ctx.dialect };
}

export async function readServerStats(ctx: Ctx, p: Principal): Promise<ServerStats> {
  authorizeGlobal(p, 'users:read');
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
  };
}
