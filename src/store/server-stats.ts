// Whole-store counts for Grafana's /api/admin/stats.
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { countGram } from './user-grams.ts';

export interface ServerCounts {
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

/** `activeSince`: users seen at or after it are active; `now`: sessions expiring after it are active. */
export async function serverCounts(db: Db, activeSince: string, now: string): Promise<ServerCounts> {
  const count = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(db)).rows[0]?.n ?? 0);
  // A user counts once, in their highest role across orgs (as Grafana's stats).
  const byRole = (role: string, seenSince?: string) => sql<{ n: number }>`
    select count(*) as n from users u where (select case max(case m.role when 'Admin' then 3 when 'Editor' then 2 when 'Viewer' then 1 else 0 end)
      when 3 then 'Admin' when 2 then 'Editor' when 1 then 'Viewer' else 'None' end from org_members m where m.user_id = u.id) = ${role}
      ${seenSince ? sql`and u.last_seen_at >= ${seenSince}` : sql``}`;
  return {
    orgs: await count(sql`select count(*) as n from orgs`),
    users: await countGram(db, ''),
    admins: await count(byRole('Admin')),
    editors: await count(byRole('Editor')),
    viewers: await count(byRole('Viewer')),
    activeUsers: await count(sql`select count(*) as n from users where last_seen_at >= ${activeSince}`),
    activeAdmins: await count(byRole('Admin', activeSince)),
    activeEditors: await count(byRole('Editor', activeSince)),
    activeViewers: await count(byRole('Viewer', activeSince)),
    activeSessions: await count(sql`select count(*) as n from sessions where expires_at > ${now}`),
    teams: await count(sql`select count(*) as n from teams`),
    serviceAccounts: await count(sql`select count(*) as n from service_accounts`),
    serviceAccountTokens: await count(sql`select count(*) as n from tokens where kind = 'sa'`),
  };
}
