// ROSTER_REDIS_URL=rediss://: the rate-limit counters go to Redis over TLS, in the database the
// URL names. A redis-server of this test's own (port 6392, TLS only, a certificate from a CA made
// here); Roster runs as a separate process that trusts that CA through NODE_EXTRA_CA_CERTS, as an
// operator with a private CA would run it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ADMIN_PASSWORD, freshDatabase } from '../helpers/roster.ts';
import { serve, type Served } from '../scaleout/spawn.ts';

const PORT = 6392;
const have = (bin: string) => process.env.PATH?.split(':').some((d) => existsSync(join(d, bin)));

/** A CA and a certificate for 127.0.0.1 signed by it. */
function certificates(dir: string) {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=roster-test-ca');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1');
  ssl('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.crt', '-days', '1', '-extfile', 'ext');
}

describe('Redis over TLS (rediss://)', { skip: !(have('redis-server') && have('openssl')) && 'needs redis-server and openssl' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-redis-tls-'));
  let redis: ChildProcess;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let roster: Served;
  let probe: Redis;

  before(async () => {
    certificates(dir);
    redis = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(PORT),
        '--tls-cert-file',
        'srv.crt',
        '--tls-key-file',
        'srv.key',
        '--tls-ca-cert-file',
        'ca.crt',
        '--tls-auth-clients',
        'no',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    probe = new Redis(`rediss://127.0.0.1:${PORT}/3`, { tls: { ca: readFileSync(join(dir, 'ca.crt')) }, retryStrategy: (n) => (n > 40 ? null : 100) });
    probe.on('error', () => {}); // refused until redis-server listens; ping() waits through the retries
    await probe.ping();
    db = await freshDatabase();
    // The child reads the extra CA at start; this process's own trust is not changed by it.
    process.env.NODE_EXTRA_CA_CERTS = join(dir, 'ca.crt');
    try {
      roster = await serve(db.url, 4830, ['--rate-limit', '5', '--redis-url', `rediss://127.0.0.1:${PORT}/3`]);
    } finally {
      delete process.env.NODE_EXTRA_CA_CERTS;
    }
  });
  after(async () => {
    await roster?.stop();
    await db?.drop();
    probe?.disconnect();
    redis?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts in Redis over TLS, in the database from the URL, and still limits', async () => {
    const admin = { basic: ['admin', ADMIN_PASSWORD] as [string, string] };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await roster.request('GET', '/api/org', admin)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    const keys = await probe.keys('roster:rl:user:*');
    assert.equal(keys.length, 1, `keys in db 3 over TLS: ${keys}`);
    assert.equal(await probe.get(keys[0]), '6');
    assert.doesNotMatch(roster.output(), /Redis is unreachable/);
  });
});
