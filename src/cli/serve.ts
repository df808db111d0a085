// `roster serve`, in one process or as a node:cluster of N workers sharing the port.
//
// The port is bound first and answers 503 until the database is reachable (http/holding.ts):
// a database that is down at start makes Roster wait and retry, not exit and restart-loop
// (docs/faults.md).
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.ts';
import { bootstrap } from '../domain/bootstrap.ts';
import { createRoster, type Roster } from '../server.ts';
import { openContext } from '../app/open-context.ts';
import { isUnavailable } from '../store/unavailable.ts';
import { IPC_MESSAGE } from '../http/memo/invalidation.ts';
import { holdingServer } from '../http/holding.ts';
import { describeDatabase, isSqliteOpenFailure } from './startup-error.ts';

/** What a worker tells the primary once it serves (its port answered 503 until then). */
const READY_MESSAGE = 'roster:ready';

function printGenerated(config: Config, password: string | undefined): void {
  if (!password) return;
  console.log(`Created server admin "${config.adminUser}" with password: ${password}`);
  console.log('This password is shown once; change it with `roster admin reset-password`.');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, waiting 0.25 s, 0.5 s, ... up to 5 s between tries while
 * it fails because the database is unavailable; any other failure is thrown.
 */
async function whileUnavailable<T>(what: string, databaseUrl: string, attempt: () => Promise<T>, stopped: () => boolean): Promise<T> {
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await attempt();
    } catch (err) {
      // A SQLite path that cannot be opened (read-only, not a directory) is a setting to fix,
      // not an outage to wait out: the one-line message of cli/startup-error.ts says which.
      if (!isUnavailable(err) || isSqliteOpenFailure(err, databaseUrl) || stopped()) throw err;
      console.error(`${what}: database unavailable (${(err as Error).message}); retrying in ${delay / 1000} s`);
      await sleep(delay);
    }
  }
}

/** One process: the HTTP server itself (also what each cluster worker runs). */
export async function serveOne(config: Config, quiet = false): Promise<void> {
  const holding = holdingServer();
  // Read by stop(), which a signal may run before the store is open.
  let roster: Roster | undefined = undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    // No new connections; requests in flight are answered; a connection still busy after 5 s
    // (a client that never reads) does not hold the shutdown.
    const closed = new Promise((resolve) => holding.server.close(resolve));
    holding.server.closeIdleConnections();
    setTimeout(() => holding.server.closeAllConnections(), 5000).unref();
    await closed;
    await roster?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await new Promise<void>((resolve, reject) => {
    holding.server.once('error', reject);
    holding.server.listen({ host: config.host, port: config.port }, resolve);
  });

  let appHandler: Parameters<typeof holding.open>[0] | undefined;
  roster = await whileUnavailable(
    'Starting',
    config.databaseUrl,
    () =>
      createRoster(config, {
        serverFactory: (handler) => {
          appHandler = handler;
          return holding.server;
        },
      }),
    () => stopping,
  );
  await roster.app.ready();
  if (stopping) return;
  holding.open(appHandler!);
  printGenerated(config, roster.boot.generatedPassword);
  if (!quiet) console.log(`Roster listening on http://${config.host}:${config.port} (${describeDatabase(config.databaseUrl)})`);
  if (cluster.isWorker) process.send?.(READY_MESSAGE);
}

/** Milliseconds before restarting a worker, given how many died in the last minute. */
export function restartDelay(recentDeaths: number): number {
  // The first death is restarted at once; a worker that keeps dying is restarted ever more
  // slowly (0.5 s, 1 s, 2 s, ... 30 s), so a crash at start does not spin the machine.
  return recentDeaths <= 1 ? 0 : Math.min(500 * 2 ** (recentDeaths - 2), 30_000);
}

/**
 * The primary of `serve --workers N`: migrates and bootstraps once (so workers do not race and
 * a generated admin password is printed once), forks the workers, relays cache invalidations
 * between them (SQLite; PostgreSQL uses LISTEN/NOTIFY), restarts a worker that dies (with
 * backoff), and on SIGTERM/SIGINT stops them all and exits 0. If the database is unavailable
 * at start, the workers are forked all the same: each answers 503 until it can migrate
 * (serialized by an advisory lock) and bootstrap (exactly once) itself.
 */
export async function servePrimary(config: Config, workers: number): Promise<void> {
  try {
    const { store, ctx } = await openContext(config);
    printGenerated(config, (await bootstrap(ctx, { login: config.adminUser, password: config.adminPassword })).generatedPassword);
    await store.close();
  } catch (err) {
    if (!isUnavailable(err) || isSqliteOpenFailure(err, config.databaseUrl)) throw err;
    console.error(`Database unavailable at start (${(err as Error).message}); the workers answer 503 until it is reachable`);
  }

  let stopping = false;
  const deaths: number[] = [];
  const onMessage = (from: Worker) => (msg: unknown) => {
    if (msg === READY_MESSAGE) return workerReady(from);
    if (msg !== IPC_MESSAGE) return;
    for (const w of Object.values(cluster.workers ?? {})) {
      if (w && w !== from && w.isConnected()) w.send(IPC_MESSAGE);
    }
  };
  const fork = () => {
    if (stopping) return;
    const w = cluster.fork();
    w.on('message', onMessage(w));
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length && deaths[0]! < now - 60_000) deaths.shift();
    const delay = restartDelay(deaths.length);
    console.error(`Worker ${worker.process.pid} exited (${signal ?? code}); starting another${delay ? ` in ${delay / 1000} s` : ''}`);
    setTimeout(fork, delay);
  });
  let ready = 0;
  const workerReady = (worker: Worker) => {
    if (++ready === workers) {
      console.log(`Roster listening on http://${config.host}:${config.port} (${describeDatabase(config.databaseUrl)}, ${workers} workers)`);
    } else if (ready > workers) {
      // A restarted worker: until this line, the port is served by the others only.
      console.error(`Worker ${worker.process.pid} serving`);
    }
  };
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    if (alive.length === 0) process.exit(0);
    for (const w of alive) w.process.kill('SIGTERM');
    // A worker stuck in shutdown does not keep the primary alive forever.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (let i = 0; i < workers; i++) fork();
}
