// Start-up failures a newcomer causes (a wrong database URL, a taken port, a bad setting) as
// one line naming the setting and a fix: a stack trace there says "Roster is broken" when the
// setting is. Anything not recognised here is a bug and keeps its stack trace.
import { ConfigError } from '../config.ts';
import { isDomainError } from '../domain/errors.ts';

/** Driver and file-system codes that mean "this SQLite path cannot be opened for writing". */
const SQLITE_OPEN = new Set(['ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'EEXIST', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_NOTADB']);

/** True when `err` comes from opening the SQLite file itself: waiting does not fix it. */
export function isSqliteOpenFailure(err: unknown, databaseUrl: string): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return databaseUrl.startsWith('sqlite:') && typeof code === 'string' && SQLITE_OPEN.has(code);
}

/** The database as the start-up line shows it: never the user or password of a URL. */
export function describeDatabase(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:')) return `sqlite ${databaseUrl.slice('sqlite:'.length)}`;
  try {
    const u = new URL(databaseUrl);
    return `postgres ${u.host}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}

function pgTarget(databaseUrl: string): { user: string; database: string } {
  try {
    const u = new URL(databaseUrl);
    return { user: decodeURIComponent(u.username) || '(default user)', database: decodeURIComponent(u.pathname.slice(1)) || '(default database)' };
  } catch {
    return { user: '?', database: '?' };
  }
}

/** One line for a known start-up failure, or undefined for anything else. */
export function startupErrorLine(err: unknown, config?: { databaseUrl: string; host: string; port: number }): string | undefined {
  if (err instanceof ConfigError) return `Configuration error: ${err.message}`;
  if (isDomainError(err)) return `Error: ${(err as Error).message}`;
  const e = err as { code?: unknown; syscall?: unknown; path?: unknown };
  if (!config || !e || typeof e.code !== 'string') return undefined;
  if (e.syscall === 'listen') {
    const where = `${config.host}:${config.port}`;
    if (e.code === 'EADDRINUSE') return `ROSTER_PORT: ${where} is already in use; stop the other server or choose another port with --port (ROSTER_PORT)`;
    if (e.code === 'EACCES') return `ROSTER_PORT: not allowed to listen on ${where} (ports below 1024 need privileges); choose a port above 1023 with --port (ROSTER_PORT)`;
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return `ROSTER_HOST: ${config.host} is not an address of this machine; use 0.0.0.0 (all) or 127.0.0.1 with --host (ROSTER_HOST)`;
  }
  const { user, database } = pgTarget(config.databaseUrl);
  if (e.code === '3D000') return `ROSTER_DATABASE_URL: PostgreSQL has no database "${database}"; create it (createdb ${database}) or name another in the URL`;
  if (e.code === '28P01' || e.code === '28000') return `ROSTER_DATABASE_URL: PostgreSQL refused user "${user}" (wrong password, no such role or not allowed); fix the user and password in the URL`;
  if (isSqliteOpenFailure(err, config.databaseUrl)) {
    return `ROSTER_DATABASE_URL: cannot create or open the SQLite database ${config.databaseUrl.slice('sqlite:'.length)} (${e.code}); point it to a writable file, e.g. --database-url sqlite:data/roster.db`;
  }
  return undefined;
}
