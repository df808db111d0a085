// `node bench/cold-start.mjs --database-url sqlite:/tmp/r100k.db [--runs 9 --port 4500 --node-flags "..."]`
// Cold start: the time from spawning `roster serve` (the compiled server, as `npm start` runs it)
// to the first 200 of GET /api/health, over N spawns of a database seeded before (`roster seed`);
// prints the median, the fastest and the slowest. The port answers 503 until the database is
// open, migrated and bootstrapped (cli/serve.ts), so the first 200 is the first real answer.
// Also the CPU time the process had used by then (Linux /proc, all its threads): on a machine
// shared with other load, wall time mostly measures the wait for a core, CPU time what start-up costs.
import { spawn, execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './wrk.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    runs: { type: 'string', default: '9' },
    port: { type: 'string', default: '4500' },
    'node-flags': { type: 'string', default: '' },
    'admin-password': { type: 'string', default: 'cold-start-admin' },
  },
});
if (!opt['database-url']) throw new Error('--database-url is required (a database seeded with `roster seed`)');
const port = Number(opt.port);

/** One GET /api/health: its status, or 0 when nothing listens yet. */
const health = () =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end();
  });

/** Milliseconds of CPU (user + system, every thread) process `pid` has used, or NaN off Linux. */
function cpuMs(pid) {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, counted after the command name's closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

async function once() {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--max-semi-space-size=8', ...opt['node-flags'].split(/\s+/).filter(Boolean), 'dist/server/main.js', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      ROSTER_DATABASE_URL: opt['database-url'],
      ROSTER_ADMIN_PASSWORD: opt['admin-password'],
      ROSTER_HOST: '127.0.0.1',
      ROSTER_PORT: String(port),
      ROSTER_LOG_LEVEL: 'warn',
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '131072',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let ms, cpu;
  for (;;) {
    if ((await health()) === 200) {
      ms = Number(process.hrtime.bigint() - t0) / 1e6;
      cpu = cpuMs(child.pid);
      break;
    }
    if (child.exitCode !== null) throw new Error(`roster serve exited with ${child.exitCode} before answering 200`);
    // Polled every 2 ms: the figure is at most that late.
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGTERM');
  await exited;
  return { ms, cpu };
}

execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
// One start first, not counted: it applies migrations the database may lack and creates the admin,
// and it fills the OS page cache, so every counted start finds the same database.
await once();
const starts = [];
for (let i = 0; i < Number(opt.runs); i++) {
  starts.push(await once());
  process.stderr.write(`  start ${i + 1}: ${starts.at(-1).ms.toFixed(0)} ms (CPU ${starts.at(-1).cpu.toFixed(0)} ms)\n`);
}
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
console.log(
  `cold start to the first 200 of /api/health (${opt['database-url'].replace(/\/\/[^@/]*@/, '//')}), ${starts.length} starts: ` +
    `wall ${fmt(starts.map((s) => s.ms))}, CPU ${fmt(starts.map((s) => s.cpu))}`,
);
