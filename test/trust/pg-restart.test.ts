// A PostgreSQL restart under load, and a PostgreSQL that is down when Roster starts, against
// `serve --workers 2` and three separate processes on one database. Throughout, the ports
// answer (503 with Retry-After while the database is away, never a refused connection and no
// other 5xx); afterwards everything serves again without any Roster process restarting, and
// every acknowledged write is in the database.
//
// The database is a private cluster started and stopped by this test (private-pg.ts): the
// shared server that other test files use is never touched.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DB_KIND } from '../helpers/roster.ts';
import { serve, within, type Served } from '../scaleout/spawn.ts';
import { privateCluster, privateClusterUnsupported, type PrivateCluster } from './private-pg.ts';
import { describeTally, newTally, otherServerErrors, startLoad, type Tally } from './load.ts';

const PG_PORT = 55400 + (process.pid % 100);
const CLUSTER_PORT = 4320;
const SINGLE_PORTS = [4321, 4322, 4323];
const PORTS = [CLUSTER_PORT, ...SINGLE_PORTS];

const skip = DB_KIND !== 'postgres' ? 'PostgreSQL only (this run is SQLite)' : (privateClusterUnsupported() ?? false);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function get(port: number, path: string): Promise<{ status: number; retryAfter: string | null; body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
}

/** Every port answers /api/health 200. */
const allHealthy = async () => (await Promise.all(PORTS.map((p) => get(p, '/api/health').then((r) => r.status)))).every((s) => s === 200);

function assertOnlyUnavailable(t: Tally, what: string) {
  assert.equal(t.noAnswer, 0, `${what}: ${t.noAnswerSamples.join('\n')}`);
  assert.equal(otherServerErrors(t), 0, `${what}: ${describeTally(t)}`);
  assert.equal(t.missingRetryAfter, 0, `${what}: a 503 without Retry-After`);
}

describe('PostgreSQL down at start and restarted under load', { skip }, () => {
  let cluster: PrivateCluster;
  const servers: Served[] = [];
  before(async () => {
    cluster = privateCluster(PG_PORT);
    // Not started: Roster comes up first, with its database down.
    const url = cluster.url();
    const waiting = /database unavailable/;
    const started = await Promise.allSettled([
      serve(url, CLUSTER_PORT, ['--workers', '2', '--rate-limit', '0'], waiting),
      ...SINGLE_PORTS.map((port) => serve(url, port, ['--rate-limit', '0'], waiting)),
    ]);
    // Those that started are stopped by after() even if another one failed to.
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    cluster?.remove();
  });

  it('answers 503 until the database is up, then serves, rides out a restart, and loses no acknowledged write', async () => {
    // 1. Down at start: every port is bound and answers 503 with Retry-After, health included.
    const startup = newTally();
    for (const port of PORTS) {
      // A worker binds the cluster's port before it first fails to reach the database: wait
      // for the port, not for a fixed time.
      await within(30_000, async () => (await get(port, '/api/health').catch(() => undefined)) !== undefined);
      const health = await get(port, '/api/health');
      assert.equal(health.status, 503);
      assert.match(health.retryAfter ?? '', /^[1-9]\d*$/);
      assert.equal(health.body.database, 'failing');
    }
    const early = startLoad(PORTS, 4, 'Early', startup);
    await sleep(1000);
    await early.stop();
    console.log(`database down at start: ${describeTally(startup)}`);
    assertOnlyUnavailable(startup, 'database down at start');
    assert.deepEqual([...startup.byStatus.keys()], [503], describeTally(startup));

    // 2. The database comes up: migrations and bootstrap run, and every process serves.
    cluster.start();
    // "listening on": a single process once it serves, the cluster's primary once both its
    // workers do (either worker may take a request).
    await within(60_000, async () => servers.every((s) => /listening on/.test(s.output())));
    assert.ok(await allHealthy());
    const pids = servers.map((s) => s.child.pid);

    // 3. A restart under load.
    const before = newTally();
    const outage = newTally();
    const recovery = newTally();
    const load = startLoad(PORTS, 8, 'Restart', before);
    try {
      // Under way first: some writes acknowledged (the first requests pay for the password hash).
      await within(30_000, async () => load.acked.length >= 20);
      load.countIn(outage);
      cluster.stop();
      await sleep(3000);
      load.countIn(recovery);
      cluster.start();
      await within(30_000, allHealthy);
      await sleep(1500);
    } finally {
      await load.stop();
    }
    console.log(`before the restart: ${describeTally(before)}`);
    console.log(`during the outage: ${describeTally(outage)}; other 5xx: ${otherServerErrors(outage)}`);
    console.log(`after the restart: ${describeTally(recovery)}`);
    // Requests counted by when they started: those still in flight when the database stopped
    // may have been answered 503.
    assertOnlyUnavailable(before, 'before the restart');
    assertOnlyUnavailable(outage, 'during the outage');
    assert.ok((outage.byStatus.get(503) ?? 0) > 0, describeTally(outage));
    assertOnlyUnavailable(recovery, 'after the restart');

    // 4. Serving again on every port, from the same processes (no worker restarted either).
    const final = newTally();
    const last = startLoad(PORTS, 4, 'Final', final);
    await sleep(1000);
    await last.stop();
    assert.deepEqual([...final.byStatus.keys()], [200], describeTally(final));
    assert.deepEqual(
      servers.map((s) => s.child.pid),
      pids,
    );
    for (const s of servers) assert.equal(s.child.exitCode, null, s.output());
    assert.doesNotMatch(servers[0]!.output(), /exited/, 'a worker was restarted');

    // 5. Every acknowledged write is in the database.
    const client = new pg.Client({ connectionString: cluster.url() });
    await client.connect();
    try {
      const found = new Set((await client.query<{ name: string }>('select name from orgs')).rows.map((r) => r.name));
      const acked = [...load.acked, ...last.acked];
      assert.deepEqual(
        acked.filter((n) => !found.has(n)),
        [],
      );
      assert.equal(Number((await client.query(`select count(*) as n from users where login = 'admin'`)).rows[0].n), 1);
      // Every serving process (2 workers, 3 single processes) has its LISTEN connection back.
      const listeners = async () => Number((await client.query(`select count(*) as n from pg_stat_activity where application_name = 'roster-invalidation'`)).rows[0].n);
      await within(30_000, async () => (await listeners()) === 5);
      console.log(`restart: ${acked.length} acknowledged writes checked, all present`);
    } finally {
      await client.end();
    }
  });
});
