// `node bench/webhooks.mjs [--db sqlite|postgres] [--events 5000] [--endpoints 4] [--port 4740] [--backlog]`
// Webhook delivery to a local receiver (docs/events.md): starts the compiled Roster (dist/server)
// on a fresh database, registers one endpoint per org, makes changes (team creations, 50 in
// flight) spread over the orgs, and reports delivered events/s (first change to last delivery)
// and the time from each change's commit to its delivery (p50/p99), measured by the receiver
// against the event's timestamp (taken just before the commit, so slightly more than the truth).
// With --backlog the receiver refuses (503) until every change is written, so each endpoint's
// queue fills behind its failed head; it then accepts, and the bench reports the rate at which
// the queued deliveries drain (first to last delivery), apart from the cost of the writes.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freshDatabase } from './fresh-database.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    events: { type: 'string', default: '5000' },
    endpoints: { type: 'string', default: '4' },
    port: { type: 'string', default: '4740' },
    backlog: { type: 'boolean', default: false },
    'pg-url': { type: 'string', default: process.env.ROSTER_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const N = Number(opt.events);
const ENDPOINTS = Number(opt.endpoints);
const port = Number(opt.port);
const ADMIN = 'Basic ' + Buffer.from('admin:bench-admin-secret').toString('base64');

async function call(method, path, body, orgId) {
  const headers = { authorization: ADMIN, ...(body ? { 'content-type': 'application/json' } : {}), ...(orgId ? { 'x-grafana-org-id': String(orgId) } : {}) };
  const r = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const database = await freshDatabase({ db: opt.db, pgUrl: opt['pg-url'] });
let roster;
const received = new Map();
let refusing = opt.backlog;
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (refusing) return void res.writeHead(503).end();
    const at = Date.now();
    const id = req.headers['webhook-id'];
    if (!received.has(id)) received.set(id, { at, committed: Date.parse(JSON.parse(Buffer.concat(chunks).toString()).timestamp) });
    res.writeHead(204).end();
  });
});
try {
  execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
  roster = spawn(process.execPath, ['dist/server/main.js', 'serve'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      ROSTER_DATABASE_URL: database.url,
      ROSTER_PORT: String(port),
      ROSTER_HOST: '127.0.0.1',
      ROSTER_ADMIN_PASSWORD: 'bench-admin-secret',
      ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true',
      ROSTER_RATE_LIMIT: '0',
      ROSTER_LOG_LEVEL: 'error',
    },
  });
  for (let i = 0; ; i++) {
    try {
      await call('GET', '/api/org');
      break;
    } catch {
      if (i > 300) throw new Error('Roster did not come up');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const orgs = [];
  for (let i = 0; i < ENDPOINTS; i++) {
    const { orgId } = await call('POST', '/api/orgs', { name: `bench-hooks-${i}` });
    await call('POST', `/api/roster/v1/orgs/${orgId}/webhooks`, { url: hookUrl, eventTypes: ['team.create'] });
    orgs.push(orgId);
  }
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < N) {
        const i = next++;
        await call('POST', '/api/teams', { name: `t-${i}` }, orgs[i % orgs.length]);
      }
    }),
  );
  const written = Date.now();
  refusing = false;
  while (received.size < N) {
    if (Date.now() - written > 300_000) throw new Error(`only ${received.size} of ${N} delivered`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const deliveries = [...received.values()];
  const last = Math.max(...deliveries.map((d) => d.at));
  const lat = deliveries.map((d) => d.at - d.committed).sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  const first = Math.min(...deliveries.map((d) => d.at));
  if (opt.backlog) {
    console.log(`${opt.db}: ${N} events queued to ${ENDPOINTS} endpoint(s) at ${Math.round((N * 1000) / (written - started))}/s, then drained at ${Math.round((N * 1000) / (last - first))}/s`);
  } else
    console.log(
      `${opt.db}: ${N} events to ${ENDPOINTS} endpoint(s): written at ${Math.round((N * 1000) / (written - started))}/s, delivered at ${Math.round((N * 1000) / (last - started))}/s; commit to delivery p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${lat.at(-1)} ms`,
    );
} finally {
  roster?.kill('SIGTERM');
  receiver.close();
  await new Promise((r) => setTimeout(r, 500));
  await database.drop();
}
