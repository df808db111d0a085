// What a server admin may read about the whole server: its settings and counts over the store.
import { serverCounts, type ServerCounts } from '../store/server-stats.ts';
import type { Ctx, DomainSettings } from './context.ts';
import { authorizeGlobal } from './policy/index.ts';
import type { Principal } from './principal.ts';

/** The settings that shape the rules, and the database kind. */
export function readServerSettings(ctx: Ctx, p: Principal): { settings: DomainSettings; dialect: Ctx['dialect'] } {
  authorizeGlobal(p, 'users:read');
  return { settings: ctx.settings, dialect: ctx.dialect };
}

/** Users seen in the last 30 days are active (Grafana's stats window). */
const ACTIVE_WINDOW_MS = 30 * 24 * 3600 * 1000;

export async function readServerStats(ctx: Ctx, p: Principal): Promise<ServerCounts> {
  authorizeGlobal(p, 'users:read');
  const now = Date.now();
  return serverCounts(ctx.db, new Date(now - ACTIVE_WINDOW_MS).toISOString(), new Date(now).toISOString());
}
