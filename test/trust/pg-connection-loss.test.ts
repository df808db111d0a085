// PostgreSQL connections of a running Roster are killed (pg_terminate_backend, as an admin, a
// failover or a network cut would) while a read/write load runs: the process stays up, every
// failed request is a 503 with Retry-After (never another 5xx, never a refused connection), the
// pool reconnects by itself, and every write that was acknowledged is in the database.
// Only this test's own database's backends are terminated: other test files share the server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DB_KIND, freshDatabase } from '../helpers/roster.ts';
import { serve, type Served } from '../scaleout/spawn.ts';
import { describeTally, newTally, otherServerErrors, startLoad } from './load.ts';

const PORT = 4310;
const skip = DB_KIND !== 'postgres' && 'PostgreSQL only (this run is SQLite)';

describe('PostgreSQL connections killed under load', { skip }, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let s: Served;
  let admin: pg.Client;
  before(async () => {
    db = await freshDatabase();
    s = await serve(db.url, PORT, ['--rate-limit', '0']);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await s?.stop();
    await db?.drop();
  });

  it('stays up, answers 503 with Retry-After, and keeps every acknowledged write', async () => {
    const name = new URL(db.url).pathname.slice(1);
    const tally = newTally();
    const load = startLoad([PORT], 8, 'Killed', tally);
    let rounds = 0;
    let terminated = 0;
    try {
      // Kill every connection of the server again and again, until some request was caught in
      // the act (a 503), at least 10 times over, and at most for 40 s.
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline && (rounds < 10 || !tally.byStatus.get(503))) {
        await new Promise((r) => setTimeout(r, 150));
        const r = await admin.query('select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
        terminated += Number(r.rows[0].n);
        rounds++;
      }
    } finally {
      await load.stop();
    }
    console.log(`connection loss: ${terminated} connections terminated in ${rounds} rounds; ${describeTally(tally)}; ${load.acked.length} writes acknowledged`);
    assert.equal(s.child.exitCode, null, `the server exited:\n${s.output()}`);
    assert.equal(tally.noAnswer, 0, tally.noAnswerSamples.join('\n'));
    assert.equal(otherServerErrors(tally), 0, describeTally(tally));
    assert.equal(tally.missingRetryAfter, 0);
    assert.ok((tally.byStatus.get(503) ?? 0) > 0, `no request was caught by a terminated connection: ${describeTally(tally)}`);

    // The pool has reconnected: a fresh burst is all 200.
    const after = newTally();
    const again = startLoad([PORT], 4, 'After', after);
    await new Promise((r) => setTimeout(r, 1000));
    await again.stop();
    assert.deepEqual([...after.byStatus.keys()], [200], describeTally(after));

    const found = new Set((await admin.query<{ name: string }>('select name from orgs')).rows.map((r) => r.name));
    const acked = [...load.acked, ...again.acked];
    assert.deepEqual(
      acked.filter((n) => !found.has(n)),
      [],
    );
    console.log(`connection loss: ${acked.length} acknowledged writes checked, all present`);
  });
});
