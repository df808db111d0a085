// `roster serve`, in one process or as a node:cluster of N workers sharing the port.
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.ts';
import { bootstrap } from '../domain/bootstrap.ts';
import { createRoster } from '../server.ts';
import { openContext } from '../store/open-context.ts';
import { IPC_MESSAGE } from '../http/invalidation.ts';

function printGenerated(config: Config, password: string | undefined): void {
  if (!password) return;
  console.log(`Created server admin "${config.adminUser}" with password: ${password}`);
  console.log('This password is shown once; change it with `roster admin reset-password`.');
}

/** One process: the HTTP server itself (also what each cluster worker runs). */
export async function serveOne(config: Config, quiet = false): Promise<void> {
  const roster = await createRoster(config);
  printGenerated(config, roster.boot.generatedPassword);
  await roster.app.listen({ host: config.host, port: config.port });
  if (!quiet) console.log(`Roster listening on http://${config.host}:${config.port} (${roster.store.dialect})`);
  const stop = async () => {
    await roster.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * The primary of `serve --workers N`: migrates and bootstraps once (so workers do not race and
 * a generated admin password is printed once), forks the workers, relays cache invalidations
 * between them (SQLite; PostgreSQL uses LISTEN/NOTIFY), restarts a worker that dies, and on
 * SIGTERM/SIGINT stops them all and exits 0.
 */
export async function servePrimary(config: Config, workers: number): Promise<void> {
  const { store, ctx } = await openContext(config);
  printGenerated(config, (await bootstrap(ctx, { login: config.adminUser, password: config.adminPassword })).generatedPassword);
  await store.close();

  let stopping = false;
  const recentDeaths: number[] = [];
  const relay = (from: Worker) => (msg: unknown) => {
    if (msg !== IPC_MESSAGE) return;
    for (const w of Object.values(cluster.workers ?? {})) {
      if (w && w !== from && w.isConnected()) w.send(IPC_MESSAGE);
    }
  };
  const fork = () => {
    const w = cluster.fork();
    w.on('message', relay(w));
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`Worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    // A worker that keeps crashing at start is restarted at most once a second.
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths.length && recentDeaths[0]! < now - 10_000) recentDeaths.shift();
    setTimeout(fork, recentDeaths.length > 5 ? 1000 : 0);
  });
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === workers) {
      console.log(`Roster listening on http://${config.host}:${config.port} (${store.dialect}, ${workers} workers)`);
    }
  });
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
