// A PostgreSQL host that accepts TCP connections but never answers (a hung server, a half-open
// network path) must not hold Roster up for the kernel's minutes: with ROSTER_DB_CONNECT_TIMEOUT
// each connect gives up after that long, and the server answers 503 with Retry-After meanwhile.
// The "host" is a loopback listener that accepts and stays silent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { DB_KIND } from '../helpers/roster.ts';
import { serve, within, type Served } from '../scaleout/spawn.ts';

const PORT = 4330;
const skip = DB_KIND !== 'postgres' && 'PostgreSQL only (this run is SQLite)';

describe('PostgreSQL connect timeout', { skip }, () => {
  let silent: net.Server;
  const sockets: net.Socket[] = [];
  let s: Served;
  before(async () => {
    silent = net.createServer((socket) => void sockets.push(socket.on('error', () => {})));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    s = await serve(`postgres://postgres@127.0.0.1:${port}/roster`, PORT, ['--db-connect-timeout', '300'], /database unavailable/);
  });
  after(async () => {
    await s?.stop();
    for (const socket of sockets) socket.destroy();
    silent?.close();
  });

  it('gives up connecting after the timeout, answers 503 with Retry-After meanwhile, and stops cleanly', async () => {
    assert.match(s.output(), /timeout/i, s.output());
    const health = await fetch(`http://127.0.0.1:${PORT}/api/health`);
    assert.equal(health.status, 503);
    assert.equal(health.headers.get('retry-after'), '5');
    const org = await fetch(`http://127.0.0.1:${PORT}/api/roster/v1/orgs`);
    assert.equal(org.status, 503);
    assert.equal((await org.json()).error.code, 'store.unavailable');
    // It keeps trying (each attempt a connect that timed out): it does not hang in the first.
    await within(30_000, async () => (s.output().match(/database unavailable/g) ?? []).length >= 3);
    // SIGTERM while still waiting for the database: a clean exit.
    assert.equal(await s.stop(), 0);
  });
});
