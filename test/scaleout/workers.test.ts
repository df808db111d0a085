// `roster serve --workers 2`: a node:cluster whose workers share the port, tell each other about
// writes (IPC through the primary on SQLite, NOTIFY on PostgreSQL) and stop cleanly on SIGTERM.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ADMIN_PASSWORD, DB_KIND, freshDatabase, type Creds } from '../helpers/roster.ts';
import { serve, within, workerPids, type Served } from './spawn.ts';

const admin: Creds = { basic: ['admin', ADMIN_PASSWORD] };
const PORT = DB_KIND === 'postgres' ? 4831 : 4830;

/** A GET on a new connection (no keep-alive), so the cluster may hand it to either worker. */
function freshConnectionGet(path: string): Promise<{ name: string }> {
  return new Promise((resolve, reject) => {
    const auth = 'Basic ' + Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');
    http
      .get({ host: '127.0.0.1', port: PORT, path, agent: false, headers: { authorization: auth } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve(JSON.parse(text)));
      })
      .on('error', reject);
  });
}

describe('serve --workers 2', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let s: Served;

  before(async () => {
    db = await freshDatabase();
    s = await serve(db.url, PORT, ['--workers', '2']);
  });
  after(async () => {
    await s?.stop();
    await db.drop();
  });

  it('answers from both workers', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await s.request('GET', '/api/org', admin);
      assert.equal(r.status, 200);
      assert.equal(r.body.name, 'Main Org.');
    }
  });

  it('a rename through one worker is seen through every connection within 1 s', async () => {
    assert.equal((await s.request('PUT', '/api/org', { ...admin, body: { name: 'Workers Org' } })).status, 200);
    // Fresh connections are spread over the workers; all must agree.
    await within(1000, async () => {
      const names = await Promise.all(Array.from({ length: 8 }, () => freshConnectionGet('/api/org')));
      return names.every((n) => n.name === 'Workers Org');
    });
  });

  it('restarts a worker that dies, then exits 0 on SIGTERM', async () => {
    const restarts = () => (s.output().match(/exited/g) ?? []).length;
    // Kill one worker: the primary reports it and forks another; the port keeps answering.
    const pids = workerPids(s.child.pid!);
    assert.equal(pids.length, 2, `workers: ${pids.join(',')}`);
    process.kill(pids[0]!, 'SIGKILL');
    await within(30_000, async () => restarts() === 1);
    // The replacement is up when the primary has two workers again and both answer.
    await within(60_000, async () => workerPids(s.child.pid!).length === 2);
    assert.equal((await s.request('GET', '/api/org', admin)).status, 200);
    assert.equal(await s.stop(), 0);
  });
});
