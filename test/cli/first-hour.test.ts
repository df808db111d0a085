// A newcomer's first hour with the real CLI: mistakes in settings are one line and exit 1, the
// start-up line names the database, paths do not depend on the shell's folder, --version and
// per-command help work.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DB_KIND, PG_ADMIN_URL } from '../helpers/roster.ts';
import { serve } from '../scaleout/spawn.ts';
import { describeDatabase } from '../../src/cli/startup-error.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'roster-first-hour-'));

/** The CLI run from `cwd` with only the flags given (no ROSTER_DATABASE_URL from the test env). */
function cli(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ROSTER_LOG_LEVEL: 'silent' };
  delete env.ROSTER_DATABASE_URL;
  return new Promise((resolve) => {
    // bin/roster.js, as an installed `roster` runs: `--import tsx` would resolve tsx from `cwd`.
    execFile(process.execPath, [join(ROOT, 'bin/roster.js'), ...args], { cwd, env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** One line on stderr, naming `setting`, and no stack trace. */
function assertOneLine(r: { code: number; stderr: string }, setting: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, setting);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

describe('roster CLI, first hour', () => {
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it("a command's help lists its own options before the shared settings", async () => {
    const r = await cli(['user', 'create', '--help']);
    assert.equal(r.code, 0, r.stderr);
    const own = r.stdout.indexOf('--password <password>');
    const shared = r.stdout.indexOf('--database-url <value>');
    assert.ok(own > 0 && shared > own, r.stdout);
    assert.match(r.stdout, /Server settings/);
  });

  it('a command other than serve, migrate or seed does not create a missing database', async () => {
    const file = join(tmp, 'missing.db');
    const r = await cli(['user', 'list', '--database-url', `sqlite:${file}`]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `Error: no database at ${file}; run \`roster migrate\` or \`roster serve\` first`);
    assert.equal(existsSync(file), false);
  });

  it('a relative SQLite path is read from the project root, not the current folder', async () => {
    const rel = `data/first-hour-${process.pid}.db`;
    try {
      const made = await cli(['migrate', '--database-url', `sqlite:${rel}`], tmp);
      assert.equal(made.code, 0, made.stderr);
      assert.ok(existsSync(join(ROOT, rel)));
      assert.equal(existsSync(join(tmp, rel)), false);
      // From another folder, another command finds the same database.
      const listed = await cli(['user', 'list', '--database-url', `sqlite:${rel}`], join(ROOT, 'src'));
      assert.equal(listed.code, 0, listed.stderr);
      assert.equal(existsSync(join(ROOT, 'src', rel)), false);
    } finally {
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(ROOT, rel + suffix), { force: true });
    }
  });

  it('serve with a bad setting, an unwritable SQLite path or a taken port: one line, exit 1', async () => {
    assertOneLine(await cli(['serve', '--port', 'abc']), /ROSTER_PORT/);
    assertOneLine(await cli(['serve', '--database-url', 'mysql://db/roster']), /ROSTER_DATABASE_URL/);
    // A regular file as a folder: no amount of waiting makes this path writable.
    assertOneLine(await cli(['serve', '--host', '127.0.0.1', '--port', '4540', '--database-url', `sqlite:${join(ROOT, 'package.json')}/roster.db`]), /ROSTER_DATABASE_URL.*SQLite/);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(4541, '127.0.0.1', resolve));
    try {
      assertOneLine(await cli(['serve', '--host', '127.0.0.1', '--port', '4541', '--database-url', `sqlite:${join(tmp, 'port.db')}`]), /ROSTER_PORT: 127\.0\.0\.1:4541 is already in use/);
    } finally {
      taken.close();
    }
  });

  it('serve against a PostgreSQL database that does not exist, or a wrong password: one line, exit 1', { skip: DB_KIND !== 'postgres' }, async () => {
    const missing = new URL(PG_ADMIN_URL);
    missing.pathname = '/roster_first_hour_missing';
    assertOneLine(await cli(['serve', '--host', '127.0.0.1', '--port', '4542', '--database-url', missing.href]), /ROSTER_DATABASE_URL: PostgreSQL has no database "roster_first_hour_missing"/);
    const wrong = new URL(PG_ADMIN_URL);
    wrong.username = 'roster_first_hour_nobody';
    wrong.password = 'not-printed-secret';
    const r = await cli(['serve', '--host', '127.0.0.1', '--port', '4543', '--database-url', wrong.href]);
    assertOneLine(r, /ROSTER_DATABASE_URL: PostgreSQL refused user "roster_first_hour_nobody"/);
    assert.doesNotMatch(r.stderr, /not-printed-secret/);
  });

  it('the start-up line names the database', async () => {
    const file = join(tmp, 'serve.db');
    const s = await serve(`sqlite:${file}`, 4544);
    try {
      assert.match(s.output(), new RegExp(`Roster listening on http://127\\.0\\.0\\.1:4544 \\(sqlite ${file.replace(/[.]/g, '\\.')}\\)`));
    } finally {
      await s.stop();
    }
    // A PostgreSQL URL is shown without its user and password.
    assert.equal(describeDatabase('postgres://roster:s3cret@db.internal:5432/roster'), 'postgres db.internal:5432/roster');
  });
});
