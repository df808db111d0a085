// SQLite on a disk that fills up for real (a small tmpfs filled with a file): writes answer 503
// with Retry-After, never 500; reads go on; the group-commit batches that failed leave nothing
// behind; every acknowledged write is on disk; and once space is freed the same process writes
// again. Needs root to mount the tmpfs (CI runs as root); skipped elsewhere, saying so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { DB_KIND, startRoster, type TestRoster } from '../helpers/roster.ts';

/** Mounts a tmpfs of `megabytes`; undefined (and why) where that is not allowed. */
function smallDisk(megabytes: number): { dir: string; unmount(): void } | { why: string } {
  const dir = mkdtempSync(join(tmpdir(), 'roster-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { why: `cannot mount a tmpfs here (${String((err as Error).message).split('\n')[0]})` };
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes zeros into `path` until the file system has no space left. */
function fillUp(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return written;
}

const skip = DB_KIND !== 'sqlite' ? 'SQLite only (this run is PostgreSQL)' : process.getuid?.() !== 0 ? 'needs root to mount a tmpfs' : false;

describe('SQLite disk full', { skip }, () => {
  let disk: { dir: string; unmount(): void };
  let t: TestRoster;
  let file: string;
  before(async () => {
    const d = smallDisk(8);
    if ('why' in d) throw new Error(d.why);
    disk = d;
    file = join(disk.dir, 'roster.db');
    t = await startRoster({ ROSTER_DATABASE_URL: `sqlite:${file}` });
  });
  after(async () => {
    await t?.close();
    disk?.unmount();
  });

  it('writes answer 503 while the disk is full, none acknowledged is lost, and writing resumes when space returns', async () => {
    const acked: string[] = [];
    const statuses = new Map<number, number>();
    let n = 0;
    /** `rounds` of 20 concurrent org creations; records what was acknowledged. */
    const load = async (rounds: number, label: string) => {
      for (let round = 0; round < rounds; round++) {
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            const name = `${label} ${n++}`;
            const r = await t.request('POST', '/api/orgs', { ...t.admin, body: { name } });
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            if (r.status === 200) acked.push(name);
            else {
              assert.equal(r.status, 503, `${name}: ${r.status} ${r.text}`);
              assert.match(String(r.headers['retry-after']), /^[1-9]\d*$/);
              assert.equal(r.body.message, 'Service temporarily unavailable, try again later.');
            }
          }),
        );
      }
    };

    await load(2, 'Before');
    // The WAL starts empty, so every commit from now on must grow it on the full disk.
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.roster.ctx.db);
    const filler = join(disk.dir, 'filler');
    fillUp(filler);
    const before503 = statuses.get(503) ?? 0;
    await load(5, 'Full');
    const during503 = (statuses.get(503) ?? 0) - before503;
    assert.ok(during503 > 0, `no write failed on a full disk: ${JSON.stringify([...statuses])}`);
    // Reads need no space.
    assert.equal((await t.request('GET', '/api/orgs', t.admin)).status, 200);

    rmSync(filler);
    const okBefore = acked.length;
    await load(2, 'After');
    assert.equal(acked.length - okBefore, 40, `writes after space returned: ${JSON.stringify([...statuses])}`);
    assert.deepEqual(
      [...statuses.keys()].filter((s) => s !== 200 && s !== 503),
      [],
    );

    // Another connection (the file as any reader sees it) has every acknowledged write.
    const reader = new SQLite(file, { readonly: true });
    try {
      const names = new Set((reader.prepare('select name from orgs').all() as { name: string }[]).map((r) => r.name));
      assert.deepEqual(
        acked.filter((name) => !names.has(name)),
        [],
      );
      assert.equal(reader.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      reader.close();
    }
    console.log(`disk full: ${n} writes, ${acked.length} acknowledged and found, ${during503} answered 503 while full`);
  });
});
