// Starts a real Roster on a new database (SQLite file or a PostgreSQL database, chosen by
// ROSTER_TEST_DB: databases.ts) and drives it in-process through HTTP injection.
import { loadConfig, type Config } from '../../src/config.ts';
import { createRoster, type Roster, type RosterOptions } from '../../src/server.ts';
import { lowerPasswordCostForTests } from '../../src/domain/secrets.ts';
import { openContext } from '../../src/app/open-context.ts';
import type { Ctx } from '../../src/domain/context.ts';
import type { Principal } from '../../src/domain/principal.ts';
import type { Store } from '../../src/store/db.ts';
import { migratedDatabase } from './databases.ts';

// Every password set or checked by an in-process test server costs a scrypt; at the production
// cost they dominated many files. Child-process servers and the CLI keep the production cost
// (test/cli/commands.test.ts checks it).
lowerPasswordCostForTests(1024);

export { DB_KIND, PG_ADMIN_URL, freshDatabase, migratedDatabase } from './databases.ts';
export const ADMIN_PASSWORD = 'admin-secret';

export interface Creds {
  basic?: [string, string];
  bearer?: string;
  raw?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface TestRoster {
  roster: Roster;
  config: Config;
  admin: Creds;
  request<T = any>(method: string, url: string, opts?: Creds & { body?: unknown; rawBody?: string; contentType?: string }): Promise<Reply<T>>;
  close(): Promise<void>;
}

export function authHeaders(c: Creds): Record<string, string> {
  const h: Record<string, string> = { ...(c.headers ?? {}) };
  if (c.basic) h.authorization = 'Basic ' + Buffer.from(`${c.basic[0]}:${c.basic[1]}`).toString('base64');
  if (c.bearer) h.authorization = `Bearer ${c.bearer}`;
  if (c.raw) h.authorization = c.raw;
  if (c.cookie) h.cookie = c.cookie;
  return h;
}

/** A Roster on a new database of its own, migrated; close() removes the database. */
export async function startRoster(env: Record<string, string> = {}, options: RosterOptions = {}): Promise<TestRoster> {
  const database = await migratedDatabase();
  // A start refused on purpose (a test of the settings) leaves no database behind either.
  const t = await startRosterOn(database.url, env, options).catch(async (err: unknown) => {
    await database.drop();
    throw err;
  });
  return {
    ...t,
    async close() {
      try {
        await t.close();
      } finally {
        await database.drop();
      }
    },
  };
}

/** A Roster on an existing database (a restart, or a second process); close() leaves the database. */
export async function startRosterOn(databaseUrl: string, env: Record<string, string> = {}, options: RosterOptions = {}): Promise<TestRoster> {
  const database = { url: databaseUrl };
  const config = loadConfig(
    {},
    {
      ROSTER_DATABASE_URL: database.url,
      ROSTER_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ROSTER_PUBLIC_URL: 'http://roster.test',
      ROSTER_LOG_LEVEL: process.env.ROSTER_TEST_LOG ?? 'silent',
      // Requests are counted as in production, but only the rate-limit tests set a low limit.
      ROSTER_RATE_LIMIT: '1000000000',
      ...env,
    },
  );
  const roster = await createRoster(config, options);
  return {
    roster,
    config,
    admin: { basic: ['admin', ADMIN_PASSWORD] },
    async request(method, url, opts = {}) {
      const headers = authHeaders(opts);
      let payload: string | undefined;
      if (opts.rawBody !== undefined) payload = opts.rawBody;
      else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
      if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
      const res = await roster.app.inject({ method: method as any, url, headers, payload });
      let body: any;
      try {
        body = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.statusCode, body: body as any, text: res.body, headers: res.headers as Reply['headers'] };
    },
    async close() {
      await roster.close();
    },
  };
}

/**
 * A domain context of its own on `databaseUrl`, bootstrapped by a test server that is closed first
 * (so none of the server's background work shares the context's pool), and the server admin as
 * the principal domain calls act as.
 */
export async function adminContext(databaseUrl: string): Promise<{ store: Store; ctx: Ctx; admin: Principal }> {
  const t = await startRosterOn(databaseUrl);
  await t.close();
  const { store, ctx } = await openContext(t.config);
  const row = await ctx.db.selectFrom('users').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow();
  const admin: Principal = { kind: 'user', userId: row.id, serviceAccountId: null, tokenId: null, login: 'admin', orgId: 1, role: 'Admin', isServerAdmin: true };
  return { store, ctx, admin };
}
