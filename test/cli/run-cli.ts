// Runs the real CLI as a child process against a database URL: the built server
// (dist/server/main.js, what `npm start` runs; `npm test` builds it first when src/ is newer).
// Through tsx each run spent ~0.7 s more compiling the sources; bin/roster.js, which runs them,
// is run by test/cli/first-hour.test.ts.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { BUILT } from '../scaleout/spawn.ts';
import { TTL_MS } from '../../src/http/memo/expiring-memo.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

export function runCli(databaseUrl: string, args: string[], input?: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...BUILT, ...args],
      { cwd: ROOT, env: { ...process.env, ROSTER_DATABASE_URL: databaseUrl, ROSTER_LOG_LEVEL: 'silent' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
      },
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

/**
 * Waits until a server running beside the CLI has dropped what it memoized before the CLI's
 * write: on PostgreSQL the CLI's notification reaches it (http/memo/invalidation.ts), on SQLite
 * its memos run out. A fixed wait, not polling: a polled sign-in that is refused counts against
 * the account's sign-in budget.
 */
export function untilServersSeeCliWrites(): Promise<void> {
  return sleep(TTL_MS + 100);
}
