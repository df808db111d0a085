// Runs the real CLI as a child process (`node --import tsx src/main.ts ...`) against a database URL.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
      ['--import', 'tsx', 'src/main.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ROSTER_DATABASE_URL: databaseUrl, ROSTER_LOG_LEVEL: 'silent' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
      },
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}
