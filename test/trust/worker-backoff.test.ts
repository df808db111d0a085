// `serve --workers`: a worker that dies is restarted, at once the first time and with a growing
// delay while workers keep dying, so a crash loop does not spin the machine; the port keeps
// answering from the surviving worker meanwhile.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, DB_KIND, freshDatabase, type Creds } from '../helpers/roster.ts';
import { serve, within, workerPids, type Served } from '../scaleout/spawn.ts';

const PORT = 4340;
const admin: Creds = { basic: ['admin', ADMIN_PASSWORD] };
// The restart policy does not depend on the database: run it once, in the SQLite pass.
const skip = DB_KIND !== 'sqlite' && 'database-independent; runs in the SQLite pass';

describe('worker restarts back off', { skip }, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let s: Served;
  before(async () => {
    db = await freshDatabase();
    s = await serve(db.url, PORT, ['--workers', '2']);
  });
  after(async () => {
    await s?.stop();
    await db?.drop();
  });

  it('restarts the first death at once, the next ones after 0.5 s, 1 s, ...', async () => {
    const restarts = () => s.output().match(/exited \([^)]*\); starting another[^\n]*/g) ?? [];
    for (let death = 1; death <= 3; death++) {
      const [victim] = workerPids(s.child.pid!);
      process.kill(victim!, 'SIGKILL');
      await within(30_000, async () => restarts().length === death);
      // The other worker serves meanwhile.
      assert.equal((await s.request('GET', '/api/org', admin)).status, 200);
      // The replacement serves (until then the port has one worker left: killing that one
      // would leave node:cluster with no listener, refusing connections).
      await within(60_000, async () => (s.output().match(/Worker \d+ serving/g) ?? []).length === death);
    }
    const lines = restarts();
    assert.doesNotMatch(lines[0]!, / in /, lines[0]);
    assert.match(lines[1]!, / in 0\.5 s$/, lines[1]);
    assert.match(lines[2]!, / in 1 s$/, lines[2]);
  });
});
