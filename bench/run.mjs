// `npm run bench [-- --db postgres --duration 10 --runs 3 --only org,search --users 1000000 --memo both ...]`
// Seeds a fresh database, starts Roster and a bare node:http server as separate processes, loads
// each scenario with wrk (its own process), and reports medians of requests/s and p50/p99
// latency, Roster's event-loop delay p99, the Roster process's peak RSS, and the ratio to the
// bare server. `--memo both` runs every scenario with the memo on, then restarts Roster with it
// off on the same database and runs them again: one table each. Writes
// bench/results/<date>-<db>[-memo-off].json per table.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freshDatabase } from './fresh-database.mjs';
import { scenarios, ADMIN_PASSWORD } from './scenarios.mjs';
import { runWrk, median } from './wrk.mjs';
import { eventLoopDelayP99 } from './event-loop.mjs';
import { waitFor } from './wait-for.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: opt } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    threads: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
    port: { type: 'string', default: '4400' },
    only: { type: 'string' },
    users: { type: 'string', default: '0' },
    orgs: { type: 'string', default: '0' },
    memberships: { type: 'string', default: '0' },
    'pg-url': { type: 'string', default: process.env.ROSTER_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    keep: { type: 'boolean', default: false },
    // Start from a copy of a database seeded before (`roster seed`): a SQLite file, or the name
    // of a PostgreSQL database (copied with CREATE DATABASE ... TEMPLATE).
    template: { type: 'string' },
    // `roster serve --workers N` (node:cluster); 0 = one process. RSS is then per worker (max).
    workers: { type: 'string', default: '0' },
    // Extra node flags for the Roster process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    'node-flags': { type: 'string', default: '' },
    // ROSTER_MEMO of the Roster process: `off` measures every scenario with every read from the
    // database; `both` runs them all with the memo on, then all with it off.
    memo: { type: 'string', default: 'on' },
  },
});
if (!['on', 'off', 'both'].includes(opt.memo)) throw new Error('--memo is on, off or both');
const passes = opt.memo === 'both' ? ['on', 'off'] : [opt.memo];
const num = (k) => Number(opt[k]);
const runs = num('runs'),
  threads = num('threads'),
  POOL_PER_THREAD = 1000;
const rosterPort = num('port') + 1,
  barePort = num('port') + 2;
const children = [];

// --- the database ------------------------------------------------------------------------

// --- processes -----------------------------------------------------------------------------
function start(args, env) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', () => {});
  children.push(child);
  return child;
}

function runNode(args, env) {
  return execFileSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 }).toString();
}

/** Samples the process's resident set while a scenario runs (VmHWM is the lifetime peak). */
function rssSampler(pid) {
  // With --workers, the figure is the largest worker's (the goal is per process).
  const pids = () => {
    try {
      return [pid, ...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)];
    } catch {
      return [pid];
    }
  };
  const read = () => {
    let rss = 0,
      hwm = 0;
    for (const p of pids()) {
      try {
        const s = readFileSync(`/proc/${p}/status`, 'utf8');
        const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
        rss = Math.max(rss, kb('VmRSS'));
        hwm = Math.max(hwm, kb('VmHWM'));
      } catch {
        // a worker that just exited
      }
    }
    return { rss, hwm };
  };
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, read().rss)), 100);
  return { stop: () => (clearInterval(timer), Math.max(peak, read().rss)), hwm: () => read().hwm };
}

// --- main ------------------------------------------------------------------------------------
const database = await freshDatabase({ db: opt.db, pgUrl: opt['pg-url'], template: opt.template });
const env = {
  ROSTER_DATABASE_URL: database.url,
  ROSTER_ADMIN_PASSWORD: ADMIN_PASSWORD,
  ROSTER_HOST: '127.0.0.1',
  ROSTER_PORT: String(rosterPort),
  ROSTER_LOG_LEVEL: 'warn',
  // The limiter counts every request (its cost is measured) but never refuses one.
  ROSTER_RATE_LIMIT: process.env.ROSTER_RATE_LIMIT ?? '1000000000',
  ROSTER_WORKERS: opt.workers,
};
// Files of seeded values the rotating scenarios draw from (bench/wrk/rotating.lua).
const samplesDir = mkdtempSync(join(tmpdir(), 'roster-bench-samples-'));
/** Per memo setting: { memo, results, bareRuns, hwm }. */
const tables = [];
let seed;
try {
  process.stderr.write(`seeding ${opt.db} ...\n`);
  // One user pool slice per run and one for the warm-up, for each memo setting.
  const seedOpts = { writePool: passes.length * (runs + 1) * threads * POOL_PER_THREAD, users: num('users'), orgs: num('orgs'), memberships: num('memberships') };
  seed = JSON.parse(
    runNode(['--import', 'tsx', 'bench/seed.ts', JSON.stringify(seedOpts)], env)
      .trim()
      .split('\n')
      .pop(),
  );
  process.stderr.write(`seeded ${seed.users} users in ${(seed.seedMs / 1000).toFixed(1)} s\n`);
  seed.sampleFiles = {};
  for (const [name, values] of Object.entries(seed.samples)) {
    seed.sampleFiles[name] = join(samplesDir, `${name}.txt`);
    writeFileSync(seed.sampleFiles[name], values.join('\n') + '\n');
  }

  // As `npm start` serves: the compiled server (dist/server), built here when stale, with the
  // same V8 flag and glibc malloc settings (package.json "start").
  runNode(['scripts/ensure-built.mjs'], {});
  const nodeFlags = opt['node-flags'].split(/\s+/).filter(Boolean);
  start(['bench/bare-server.mjs', String(barePort)], {});
  await waitFor(`http://127.0.0.1:${barePort}/`);
  for (const [pass, memo] of passes.entries()) tables.push(await runScenarios(pass, memo, nodeFlags));
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  rmSync(samplesDir, { recursive: true, force: true });
  if (!opt.keep) await database.drop();
  else process.stderr.write(`kept database ${database.url}\n`);
}

/** Starts Roster with ROSTER_MEMO=`memo`, runs every scenario against it, and stops it. */
async function runScenarios(pass, memo, nodeFlags) {
  const results = [];
  const bareRuns = [];
  if (passes.length > 1) process.stderr.write(`memo ${memo}:\n`);
  const roster = start(['--max-semi-space-size=8', ...nodeFlags, 'dist/server/main.js', 'serve'], { ...env, ROSTER_MEMO: memo, MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
  const rosterUrl = `http://127.0.0.1:${rosterPort}`;
  await waitFor(`${rosterUrl}/api/health`);
  const rss = rssSampler(roster.pid);
  rss.stop();

  const wrkOpts = { connections: num('connections'), threads, duration: num('duration') };
  // Small answers are compared with GET /api/org's body; large ones with a body of their size.
  const bare = async (bytes) => {
    const r = await runWrk({ ...wrkOpts, url: `http://127.0.0.1:${barePort}/${bytes > 4096 ? `?bytes=${bytes}` : ''}` });
    bareRuns.push({ ...r, bytes });
  };
  const only = opt.only?.split(',').map((s) => s.trim().toLowerCase());
  for (const sc of scenarios(seed)) {
    if (only && !only.some((o) => sc.name.toLowerCase().includes(o))) continue;
    const url = `${rosterUrl}${sc.path}`;
    const probe = await fetch(url, { headers: sc.headers });
    const body = Buffer.from(await probe.arrayBuffer());
    const bytes = body.byteLength;
    const empty = probe.status === 200 && sc.found && !sc.found(JSON.parse(body.toString()));
    if (probe.status !== 200 || empty) {
      const note = probe.status === 404 ? 'route answers 404 (face not on this branch)' : empty ? 'probe found nothing' : `probe answered ${probe.status}`;
      process.stderr.write(`${sc.name}: skipped, ${note}\n`);
      results.push({ name: sc.name, face: sc.face, skipped: note });
      continue;
    }
    const script = sc.script ? join(here, 'wrk', sc.script) : undefined;
    // A later memo setting takes the write pool's slices after the earlier one's.
    const slice = (run) => pass * (runs + 1) + run;
    const wrkFor = (run, duration) => runWrk({ ...wrkOpts, duration, url, headers: sc.headers, script, scriptArgs: sc.scriptArgs?.(slice(run), threads, POOL_PER_THREAD, num('connections')) });
    // Warm-up (JIT, prepared statements, caches, connection pool), for every scenario: a cold
    // write mix spent its first second compiling, and that second made its p99. Scripts get the
    // pool slice after the measured runs' (run index `runs`).
    if (num('warmup') > 0) await wrkFor(runs, num('warmup'));
    const sampler = rssSampler(roster.pid);
    const r = [];
    for (let i = 0; i < runs; i++) {
      // Each run is paired with a bare run just before it: other load on the machine shifts
      // both alike, so the ratio holds where absolute figures drift.
      await bare(bytes);
      // This scrape resets the delay histogram: the one after the run reads the run alone.
      await eventLoopDelayP99(rosterUrl);
      const run = await wrkFor(i, wrkOpts.duration);
      r.push({ ...run, loopP99: await eventLoopDelayP99(rosterUrl), bareRps: bareRuns.at(-1).rps, bareP99: bareRuns.at(-1).p99 });
      process.stderr.write(
        `  ${sc.name}: ${r[i].rps.toFixed(0)} req/s (bare ${r[i].bareRps.toFixed(0)}), p99 ${r[i].p99.toFixed(2)} ms, event-loop delay p99 ${r[i].loopP99.toFixed(1)} ms${r[i].errors ? `, ${r[i].errors} non-2xx` : ''}\n`,
      );
    }
    results.push({
      name: sc.name,
      face: sc.face,
      bytes,
      bareRps: median(r.map((x) => x.bareRps)),
      bareP99: median(r.map((x) => x.bareP99)),
      rps: median(r.map((x) => x.rps)),
      p50: median(r.map((x) => x.p50)),
      p99: median(r.map((x) => x.p99)),
      loopP99: median(r.map((x) => x.loopP99)),
      ratio: median(r.map((x) => x.rps / x.bareRps)),
      peakRssMb: sampler.stop() / 1024,
      errors: r.reduce((a, x) => a + x.errors, 0),
      runs: r,
    });
  }
  const hwm = rss.hwm() / 1024;
  roster.kill('SIGTERM');
  await new Promise((resolve) => (roster.exitCode !== null ? resolve() : roster.once('exit', resolve)));
  return { memo, results, bareRuns, hwm };
}

// --- report ------------------------------------------------------------------------------------
for (const table of tables) report(table);

function report({ memo, results, bareRuns, hwm }) {
  const small = bareRuns.filter((r) => !(r.bytes > 4096));
  const bareRps = median(small.map((r) => r.rps));
  const fmt = (n, d = 0) => n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });
  const rows = [
    `| scenario | body KB | req/s | p50 ms | p99 ms | loop p99 ms | bare req/s | bare p99 ms | vs bare | peak RSS MB | non-2xx |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...(small.length
      ? [`| bare node:http (GET /api/org's body) | 0.1 | ${fmt(bareRps)} | ${fmt(median(small.map((r) => r.p50)), 2)} | ${fmt(median(small.map((r) => r.p99)), 2)} | | | | 100 % | | |`]
      : []),
    ...results.map((r) =>
      r.skipped
        ? `| ${r.name} | skipped: ${r.skipped} | | | | | | | | | |`
        : `| ${r.name} | ${fmt(r.bytes / 1024, 1)} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.loopP99, 1)} | ${fmt(r.bareRps)} | ${fmt(r.bareP99, 2)} | ${fmt(r.ratio * 100, 1)} % | ${fmt(r.peakRssMb)} | ${r.errors} |`,
    ),
  ];
  const header =
    `Roster on ${opt.db}${num('workers') ? ` with ${opt.workers} workers` : ''}, memo ${memo}, ${fmt(seed?.users ?? 0)} users, ${fmt(seed?.orgs ?? 0)} orgs, ${fmt(seed?.memberships ?? 0)} memberships; wrk ${opt.connections} connections, ${threads} threads, ` +
    `median of ${runs} × ${opt.duration} s, each paired with a bare run answering a body of the same size (vs bare = median of the pair ratios; loop p99 = Roster's event-loop delay during the run); ${cpus().length} × ${cpus()[0]?.model.trim()}; Roster peak RSS ${fmt(hwm)} MB`;
  console.log(`\n${header}\n\n${rows.join('\n')}\n`);
  const date = new Date()
    .toISOString()
    .replace(/:\d\d\.\d+Z$/, 'Z')
    .replace(':', '');
  mkdirSync(join(here, 'results'), { recursive: true });
  const file = join(here, 'results', `${date}-${opt.db}${num('workers') ? `-w${opt.workers}` : ''}${memo === 'off' ? '-memo-off' : ''}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        options: { ...opt, memo },
        machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
        seed: { users: seed?.users, orgs: seed?.orgs, memberships: seed?.memberships, seedMs: seed?.seedMs },
        bare: { rps: bareRps, runs: bareRuns },
        rosterPeakRssMb: hwm,
        scenarios: results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${file}`);
}
