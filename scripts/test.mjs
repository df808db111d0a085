// Runs the whole suite once per database (SQLite, then PostgreSQL) and prints one total.
// ROSTER_TEST_DB=sqlite|postgres runs just one; extra arguments select test files.
import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const findTests = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? findTests(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));

// The slowest files (measured: the 20 longest over both databases, slowest first)
// start first: node --test runs files in the order given, two at a time, and a long file started
// last leaves the other slot idle.
const SLOW_FIRST = [
  'test/console/console.test.ts',
  'test/console/settings.test.ts',
  'test/reliability/contains-search.test.ts',
  'test/http/api-docs-browser.test.ts',
  'test/console/sso.test.ts',
  'test/cli/first-hour.test.ts',
  'test/trust/input-walk.test.ts',
  'test/console/two-factor.test.ts',
  'test/trust/input-edge.test.ts',
  'test/scim/many-members.test.ts',
  'test/cli/commands.test.ts',
  'test/console/sessions.test.ts',
  'test/console/narrow-tables.test.ts',
  'test/console/webhooks.test.ts',
  'test/console/roles.test.ts',
  'test/console/password-reset.test.ts',
  'test/console/scim.test.ts',
  'test/grafana/paging-loops.test.ts',
  'test/http/openapi-conformance.test.ts',
  'test/trust/pg-restart.test.ts',
];
const rank = (f) => (SLOW_FIRST.includes(f) ? SLOW_FIRST.indexOf(f) : SLOW_FIRST.length);
const files = (process.argv.slice(2).length ? process.argv.slice(2) : findTests('test').sort()).sort((a, b) => rank(a) - rank(b));
// Tests run Roster as a process from the build, as `npm start` does (test/scaleout/spawn.ts):
// built first when missing or older than src/.
execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { stdio: 'inherit' });

const databases = process.env.ROSTER_TEST_DB ? [process.env.ROSTER_TEST_DB] : ['sqlite', 'postgres'];

// Each database's run takes two cores (two files at a time). With four or more cores both runs go
// at once, each still with two cores, so no test gets less CPU than when they go one after the
// other; on fewer cores they go one after the other. ROSTER_TEST_PARALLEL=0|1 overrides.
const parallel = process.env.ROSTER_TEST_PARALLEL ? process.env.ROSTER_TEST_PARALLEL === '1' : availableParallelism() >= 4;

function run(db, live) {
  return new Promise((resolve) => {
    if (live) console.log(`\n=== ${db} ===`);
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
      env: { ...process.env, ROSTER_TEST_DB: db },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const collect = (stream) => (d) => {
      out += d;
      // Side by side, each run's report is printed whole when it ends, not interleaved.
      if (live) stream.write(d);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    child.on('close', (code) => {
      if (!live) process.stdout.write(`\n=== ${db} ===\n${out}`);
      const count = (label) => Number(new RegExp(`ℹ ${label} (\\d+)`).exec(out)?.[1] ?? 0);
      resolve({ db, code, pass: count('pass'), fail: count('fail'), skipped: count('skipped') });
    });
  });
}

const results = [];
if (parallel && databases.length > 1) results.push(...(await Promise.all(databases.map((db) => run(db, false)))));
else for (const db of databases) results.push(await run(db, true));

let pass = 0,
  fail = 0,
  skipped = 0,
  failedRun = false;
for (const r of results) {
  pass += r.pass;
  fail += r.fail;
  skipped += r.skipped;
  if (r.code !== 0) failedRun = true;
  console.log(`${r.db}: ${r.pass} passed, ${r.fail} failed`);
}
console.log(`\n${pass} passed, ${fail} failed, ${skipped} skipped`);
process.exit(failedRun || fail > 0 ? 1 : 0);
