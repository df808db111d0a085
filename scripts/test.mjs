// Runs the whole suite once per database (SQLite, then PostgreSQL) and prints one total.
// ROSTER_TEST_DB=sqlite|postgres runs just one; extra arguments select test files.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const findTests = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? findTests(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );

const files = process.argv.slice(2).length ? process.argv.slice(2) : findTests('test').sort();
const databases = process.env.ROSTER_TEST_DB ? [process.env.ROSTER_TEST_DB] : ['sqlite', 'postgres'];

function run(db) {
  return new Promise((resolve) => {
    console.log(`\n=== ${db} ===`);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
      { env: { ...process.env, ROSTER_TEST_DB: db }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => {
      const count = (label) => Number(new RegExp(`ℹ ${label} (\\d+)`).exec(out)?.[1] ?? 0);
      resolve({ db, code, pass: count('pass'), fail: count('fail'), skipped: count('skipped') });
    });
  });
}

let pass = 0, fail = 0, skipped = 0, failedRun = false;
for (const db of databases) {
  const r = await run(db);
  pass += r.pass;
  fail += r.fail;
  skipped += r.skipped;
  if (r.code !== 0) failedRun = true;
  console.log(`${db}: ${r.pass} passed, ${r.fail} failed`);
}
console.log(`\n${pass} passed, ${fail} failed, ${skipped} skipped`);
process.exit(failedRun || fail > 0 ? 1 : 0);
