// What the database's round trips alone allow: wrk against the bare server (bench/bare-server.mjs)
// and against the floor server (bench/floor-server.mjs) answering the same bytes after 1 and 2
// trivial statements, paired run by run, medians. Compare with a scenario of `npm run bench
// -- --db postgres` that reads the database in as many statements.
// Usage: node bench/floor.mjs [--pg-url URL] [--bytes 15360] [--duration 10] [--runs 3] [--connections 50] [--threads 2] [--port 4410]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { waitFor } from './wait-for.mjs';
import { median, runWrk } from './wrk.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    'pg-url': { type: 'string', default: process.env.ROSTER_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    bytes: { type: 'string', default: '15360' },
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    threads: { type: 'string', default: '2' },
    port: { type: 'string', default: '4410' },
  },
});
const barePort = Number(opt.port);
const floorPort = barePort + 1;
const children = [
  spawn(process.execPath, [join(here, 'bare-server.mjs'), String(barePort)], { stdio: 'ignore' }),
  spawn(process.execPath, [join(here, 'floor-server.mjs'), String(floorPort), opt['pg-url']], { stdio: 'ignore' }),
];
const stop = () => children.forEach((c) => c.kill());
process.on('exit', stop);

const wrk = (url) => runWrk({ url, connections: Number(opt.connections), threads: Number(opt.threads), duration: Number(opt.duration) });
const bare = `http://127.0.0.1:${barePort}/?bytes=${opt.bytes}`;
const floors = [1, 2].map((queries) => ({ queries, url: `http://127.0.0.1:${floorPort}/?queries=${queries}&bytes=${opt.bytes}` }));
await waitFor(bare);
for (const f of floors) await waitFor(f.url);

const rows = floors.map((f) => ({ ...f, runs: [] }));
for (let run = 0; run < Number(opt.runs); run++) {
  for (const row of rows) {
    const b = await wrk(bare);
    const r = await wrk(row.url);
    row.runs.push({ rps: r.rps, p50: r.p50, p99: r.p99, bare: b.rps, ratio: r.rps / b.rps, errors: r.errors });
  }
}
stop();

const m = (runs, key) => median(runs.map((r) => r[key]));
console.log(`\nwrk ${opt.connections} connections, ${opt.threads} threads, median of ${opt.runs} x ${opt.duration} s, each paired with a bare run; body ${opt.bytes} bytes\n`);
console.log('| statements per request | req/s | p50 ms | p99 ms | bare req/s | vs bare | non-2xx |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  const r = row.runs;
  console.log(
    `| ${row.queries} | ${m(r, 'rps').toFixed(0)} | ${m(r, 'p50').toFixed(2)} | ${m(r, 'p99').toFixed(2)} | ${m(r, 'bare').toFixed(0)} | ${(m(r, 'ratio') * 100).toFixed(1)} % | ${r.reduce((n, x) => n + x.errors, 0)} |`,
  );
}
