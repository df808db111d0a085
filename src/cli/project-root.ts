// Where relative SQLite paths are read from: the project (the folder holding Roster's
// package.json), not the shell's current directory, so `roster user list` run from src/ uses
// the same data/roster.db as `roster serve` run from the top, instead of creating src/data/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  // Walk up from this module: src/cli/ in a checkout, dist/server/cli/ in a build.
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export const PROJECT_ROOT = findRoot();

export const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).version;

/** `sqlite:<relative path>` made absolute against the project root; other URLs unchanged. */
export function resolveSqliteUrl(databaseUrl: string): string {
  if (!databaseUrl.startsWith('sqlite:')) return databaseUrl;
  const path = databaseUrl.slice('sqlite:'.length);
  if (path === ':memory:' || path === '' || isAbsolute(path)) return databaseUrl;
  return `sqlite:${resolve(PROJECT_ROOT, path)}`;
}

/** The SQLite file a URL names, if it names one on disk. */
export function sqliteFile(databaseUrl: string): string | undefined {
  const path = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : undefined;
  return path && path !== ':memory:' ? path : undefined;
}
