// Starts `roster serve` as a real separate process (not in-process injection) and talks HTTP to it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { ADMIN_PASSWORD, authHeaders, type Creds } from '../helpers/roster.ts';

export interface Served {
  port: number;
  child: ChildProcess;
  output(): string;
  request<T = any>(method: string, path: string, opts?: Creds & { body?: unknown }): Promise<{ status: number; body: T }>;
  /** SIGTERM and the exit code. */
  stop(): Promise<number | null>;
}

/**
 * How a test runs Roster as a process: the built server, what `npm start` runs (`npm test` builds
 * it first when src/ is newer: scripts/test.mjs). Through tsx each start spent ~0.7 s more
 * compiling the sources.
 */
export const BUILT = ['dist/server/main.js'];

/** `waitFor`: the output that says the port is up (default: serving; a test of a database that
 * is down at start waits for the server to say it is waiting for it). */
export async function serve(databaseUrl: string, port: number, args: string[] = [], waitFor = /listening on/, main: string[] = BUILT): Promise<Served> {
  const child = spawn(process.execPath, [...main, 'serve', '--host', '127.0.0.1', '--port', String(port), '--database-url', databaseUrl, ...args], {
    env: { ...process.env, ROSTER_ADMIN_PASSWORD: ADMIN_PASSWORD, ROSTER_LOG_LEVEL: 'warn', ROSTER_PUBLIC_URL: 'http://roster.test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${waitFor} from port ${port} in 60 s:\n${out}`)), 60_000);
    const check = () => {
      if (waitFor.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`roster on port ${port} exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    port,
    child,
    output: () => out,
    async request(method, path, opts = {}) {
      const headers = authHeaders(opts);
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
      const text = await res.text();
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      return { status: res.status, body };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Polls `probe` until it returns true; the milliseconds it took, or throws after `deadlineMs`.
 */
export async function within(deadlineMs: number, probe: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - start;
    if (performance.now() - start > deadlineMs) throw new Error(`not seen within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The worker processes of a `serve --workers` primary: its children started with its own
 * arguments (cluster passes them on; the node binary and the script path may be spelt otherwise).
 */
export function workerPids(primary: number): number[] {
  const ps = (...args: string[]) =>
    execFileSync('ps', [...args, '-o', 'pid=,args='])
      .toString()
      .trim()
      .split('\n');
  const fields = (line: string) => line.trim().split(/\s+/);
  const argumentsOf = (line: string) => fields(line).slice(3).join(' ');
  const own = argumentsOf(ps('-p', String(primary))[0]!);
  return ps('--ppid', String(primary))
    .filter((line) => argumentsOf(line) === own)
    .map((line) => Number(fields(line)[0]));
}
