// A PostgreSQL cluster of a test's own, to stop and start at will: the shared server at
// 127.0.0.1:5432 serves every other test file and must never be restarted. Runs the server
// binaries as the `postgres` OS user (initdb refuses root), on a loopback port, with its socket
// in the cluster's own temporary folder; remove() stops it and deletes everything.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN_ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin folder, or undefined (the test then skips, saying why). */
export function postgresBin(): string | undefined {
  if (!existsSync(BIN_ROOT)) return undefined;
  const versions = readdirSync(BIN_ROOT)
    .filter((v) => existsSync(join(BIN_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(BIN_ROOT, versions[0], 'bin');
}

/** Why this machine cannot run a private cluster, or undefined when it can. */
export function privateClusterUnsupported(): string | undefined {
  if (!postgresBin()) return `no PostgreSQL server binaries under ${BIN_ROOT}`;
  if (process.getuid?.() !== 0) return 'needs root, to run initdb and pg_ctl as the postgres user';
  return undefined;
}

export interface PrivateCluster {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  start(): void;
  /** Fast shutdown: every session is ended, as in a restart or failover. */
  stop(): void;
  remove(): void;
}

export function privateCluster(port: number): PrivateCluster {
  const bin = postgresBin()!;
  const dir = mkdtempSync(join(tmpdir(), 'roster-pg-'));
  // The postgres user must reach its data folder inside the root-owned temporary folder.
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const asPostgres = (tool: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  let running = false;
  const cluster: PrivateCluster = {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start() {
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
      asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start']);
      running = true;
    },
    stop() {
      asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      running = false;
    },
    remove() {
      try {
        if (running) cluster.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return cluster;
}
