// `node bench/scim-sync.mjs [--db postgres] [--users 10000] [--groups 500] [--group-size 20] [--concurrency 8]`
// An identity provider's first sync through SCIM, as Okta and Entra ID do it: every user created
// (POST /Users), then every group created (POST /Groups) and filled with one PATCH of its members.
// Runs the built server (`roster serve`, as `npm start`) on a fresh database with a SCIM token of
// org 1, with `--concurrency` requests in flight, and prints the time of each phase and the whole.
// The rate limit is off (ROSTER_RATE_LIMIT=0): an identity provider syncing 10,000 users in a
// minute needs a limit above the default 600 requests a minute per credential.
import { spawn, execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freshDatabase } from './fresh-database.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    users: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '500' },
    'group-size': { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '8' },
    port: { type: 'string', default: '4600' },
    // Extra node flags for the Roster process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    'node-flags': { type: 'string', default: '' },
    'pg-url': { type: 'string', default: process.env.ROSTER_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const [users, groups, groupSize, concurrency, port] = ['users', 'groups', 'group-size', 'concurrency', 'port'].map((k) => Number(opt[k]));
const base = `http://127.0.0.1:${port}/scim/v2`;

/** Runs `count` jobs with `concurrency` in flight. */
async function pool(count, job) {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

async function call(token, method, path, body, expect) {
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
const db = await freshDatabase({ db: opt.db, pgUrl: opt['pg-url'], prefix: 'roster-scim-bench-' });
const env = {
  ...process.env,
  ROSTER_DATABASE_URL: db.url,
  ROSTER_ADMIN_PASSWORD: 'scim-bench-admin',
  ROSTER_HOST: '127.0.0.1',
  ROSTER_PORT: String(port),
  ROSTER_LOG_LEVEL: 'warn',
  ROSTER_RATE_LIMIT: '0',
};
const server = spawn(process.execPath, [...opt['node-flags'].split(/\s+/).filter(Boolean), 'dist/server/main.js', 'serve'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (server.exitCode !== null) throw new Error(`roster serve exited with ${server.exitCode}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const token = JSON.parse(execFileSync(process.execPath, ['dist/server/main.js', 'scim-token', 'create', '--org', '1', '--json'], { cwd: root, env }).toString()).token;

  const ids = new Array(users);
  const t0 = performance.now();
  await pool(users, async (i) => {
    const userName = `user${i}@sync.example`;
    const u = await call(
      token,
      'POST',
      '/Users',
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        externalId: `ext-${i}`,
        name: { givenName: 'User', familyName: String(i) },
        emails: [{ value: userName, type: 'work', primary: true }],
        active: true,
      },
      201,
    );
    ids[i] = u.id;
  });
  const t1 = performance.now();
  await pool(groups, async (g) => {
    const group = await call(token, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Group ${g}`, externalId: `grp-${g}`, members: [] }, 201);
    const members = Array.from({ length: groupSize }, (_, k) => ({ value: ids[(g * groupSize + k) % users] }));
    await call(token, 'PATCH', `/Groups/${group.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: members }] }, 200);
  });
  const t2 = performance.now();
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `SCIM first sync (${opt.db}, ${concurrency} in flight): ${users} users ${s(t1 - t0)} (${Math.round(users / ((t1 - t0) / 1000))}/s), ` +
      `${groups} groups of ${groupSize} ${s(t2 - t1)}, total ${s(t2 - t0)}`,
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await db.drop();
}
