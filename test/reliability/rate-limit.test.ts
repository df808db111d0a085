// Per-credential rate limits: past ROSTER_RATE_LIMIT requests a minute, each face answers 429 in
// its own format with Retry-After (OnCall adds RateLimit-Reset); other credentials are unaffected.
// With ROSTER_REDIS_URL two servers share one budget.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { Redis } from 'ioredis';
import { startRoster, type Creds, type Reply, type TestRoster } from '../helpers/roster.ts';
import { makeToken, makeUser } from '../oncall/fixtures.ts';

const LIMIT = 5;
const REDIS_URL = process.env.ROSTER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Counting happens in one-minute windows: don't start a burst in a window's last seconds. */
async function awayFromWindowEdge() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 3_000) await new Promise((r) => setTimeout(r, left + 50));
}

async function exhaust(t: TestRoster, url: string, creds: Creds): Promise<Reply> {
  await awayFromWindowEdge();
  for (let i = 0; i < LIMIT; i++) {
    const r = await t.request('GET', url, creds);
    assert.ok(r.status < 400, `${url} request ${i + 1}: ${r.status} ${r.text}`);
  }
  return t.request('GET', url, creds);
}

function assertRetryAfter(r: Reply) {
  const wait = Number(r.headers['retry-after']);
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After ${r.headers['retry-after']}`);
  return wait;
}

describe('rate limits per credential', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster({ ROSTER_RATE_LIMIT: String(LIMIT) });
  });
  after(() => t.close());

  it('Grafana: 429 {message} with Retry-After; another credential still passes', async () => {
    const user = await makeUser(t, 'grafana-caller', 'Viewer');
    const r = await exhaust(t, '/api/org', { basic: user.basic });
    assert.equal(r.status, 429);
    assert.equal(typeof r.body.message, 'string');
    assertRetryAfter(r);
    assert.equal((await t.request('GET', '/api/org', { bearer: await makeToken(t, 1, 'Viewer') })).status, 200);
  });

  it('OnCall: 429 DRF throttle body with Retry-After and RateLimit-Reset', async () => {
    const token = await makeToken(t, 1, 'Admin', 'oncall-limited');
    const r = await exhaust(t, '/api/v1/users/', { raw: token });
    assert.equal(r.status, 429);
    const wait = assertRetryAfter(r);
    assert.equal(r.headers['ratelimit-reset'], String(wait));
    assert.equal(r.body.detail, `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`);
  });

  it('PostHog: 429 {type: throttled_error, code: throttled} with Retry-After', async () => {
    const user = await makeUser(t, 'posthog-caller', 'Viewer');
    const r = await exhaust(t, '/api/users/@me/', { basic: user.basic });
    assert.equal(r.status, 429);
    assert.equal(r.body.type, 'throttled_error');
    assert.equal(r.body.code, 'throttled');
    assert.match(r.body.detail, /^Request was throttled\. Expected available in \d+ seconds?\.$/);
    assertRetryAfter(r);
  });

  it('native: 429 {error: {code: rate-limited}} with Retry-After', async () => {
    const user = await makeUser(t, 'native-caller', 'Viewer');
    const r = await exhaust(t, `/api/roster/v1/users/${user.id}/contact`, { basic: user.basic });
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, 'rate-limited');
    assertRetryAfter(r);
  });
});

/** A second client on `db`, to look at the counters Roster wrote. */
function redisClient(db = 0): Redis {
  return new Redis(REDIS_URL, { db, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
}

/** DEL of this test's own counter keys. */
async function redisDel(keys: string[]): Promise<void> {
  const c = redisClient();
  try {
    await c.del(...keys);
  } finally {
    c.disconnect();
  }
}

describe('rate limits shared through Redis', () => {
  let a: TestRoster, b: TestRoster;
  let redisUp = true;
  before(async () => {
    redisUp = await new Promise<boolean>((resolve) => {
      const u = new URL(REDIS_URL);
      const s = connect({ host: u.hostname, port: Number(u.port || 6379) }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (!redisUp) return;
    a = await startRoster({ ROSTER_RATE_LIMIT: String(LIMIT), ROSTER_REDIS_URL: REDIS_URL });
    b = await startRoster({ ROSTER_RATE_LIMIT: String(LIMIT), ROSTER_REDIS_URL: REDIS_URL });
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  it('two servers count one budget per credential', async (ctx) => {
    if (!redisUp) return ctx.skip('no Redis at ' + REDIS_URL);
    // Both servers have fresh databases, so a user id exists in each; a random login makes the
    // counter key (user id) collide on purpose: same id, one shared budget.
    const login = `shared-${randomBytes(4).toString('hex')}`;
    const ua = await makeUser(a, login, 'Viewer');
    const ub = await makeUser(b, login, 'Viewer');
    assert.equal(ua.id, ub.id);
    await awayFromWindowEdge();
    // A run earlier in this minute (the other database) counted the same key: start it afresh.
    const window = Math.floor(Date.now() / 60_000);
    await redisDel([`roster:rl:user:${ua.id}:${window}`, `roster:rl:user:${ua.id}:${window + 1}`]);
    let ok = 0;
    for (let i = 0; i < LIMIT + 1; i++) {
      const r = await (i % 2 ? b : a).request('GET', '/api/org', { basic: ua.basic });
      if (r.status === 200) ok++;
      else assert.equal(r.status, 429);
    }
    assert.ok(ok <= LIMIT, `${ok} passed across two servers, limit ${LIMIT}`);
    const last = await b.request('GET', '/api/org', { basic: ub.basic });
    assert.equal(last.status, 429);
    assertRetryAfter(last);
  });
});

/** Captures a Roster's log lines (pino JSON). */
function logLines(): { stream: { write(line: string): void }; entries(): any[] } {
  const lines: string[] = [];
  return { stream: { write: (line) => lines.push(line) }, entries: () => lines.map((l) => JSON.parse(l)) };
}

const REDIS_DB = 5;

describe('Redis database number in ROSTER_REDIS_URL', () => {
  let t: TestRoster;
  let db: Redis;
  before(async () => {
    const url = new URL(REDIS_URL);
    url.pathname = `/${REDIS_DB}`;
    t = await startRoster({ ROSTER_RATE_LIMIT: String(LIMIT), ROSTER_REDIS_URL: url.href });
    db = redisClient();
    await db.connect();
    await db.select(REDIS_DB);
  });
  after(async () => {
    db?.disconnect();
    await t?.close();
  });

  it(`counters land in database ${REDIS_DB}`, async () => {
    const user = await makeUser(t, `db-${randomBytes(4).toString('hex')}`, 'Viewer');
    await awayFromWindowEdge();
    const key = `roster:rl:user:${user.id}:${Math.floor(Date.now() / 60_000)}`;
    await db.del(key);
    for (let i = 0; i < 3; i++) assert.equal((await t.request('GET', '/api/org', { basic: user.basic })).status, 200);
    assert.ok((await db.keys(`roster:rl:user:${user.id}:*`)).includes(key), `no ${key} in db ${REDIS_DB}`);
    assert.equal(await db.get(key), '3');
    assert.ok((await db.ttl(key)) > 60, 'the counter expires after two windows');
    await db.del(key);
  });
});

describe('Redis unreachable', () => {
  let t: TestRoster;
  const log = logLines();
  before(async () => {
    t = await startRoster({ ROSTER_RATE_LIMIT: String(LIMIT), ROSTER_REDIS_URL: 'redis://127.0.0.1:6390/1', ROSTER_LOG_LEVEL: 'warn' }, { logStream: log.stream });
  });
  after(() => t?.close());

  it('logs one warning, keeps limiting per process, answers no 5xx', async () => {
    const user = await makeUser(t, 'no-redis-caller', 'Viewer');
    const r = await exhaust(t, '/api/org', { basic: user.basic });
    assert.equal(r.status, 429);
    assertRetryAfter(r);
    await new Promise((resolve) => setTimeout(resolve, 600)); // a few reconnect attempts
    const warnings = log.entries().filter((e) => e.level === 40 && /Redis is unreachable/.test(e.msg));
    assert.equal(warnings.length, 1, JSON.stringify(log.entries()));
    assert.equal(warnings[0].redis, 'redis://127.0.0.1:6390/1');
  });
});

/** A Redis of this test's own on port 6391 (the shared one at 6379 is never stopped). */
async function ownRedis(): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', '6391', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await until(
    5_000,
    async () => {
      const c = new Redis({ port: 6391, maxRetriesPerRequest: 0, retryStrategy: () => null }).on('error', () => {});
      try {
        return await c.ping().then(
          () => true,
          () => false,
        );
      } finally {
        c.disconnect();
      }
    },
    'redis-server on 6391',
  );
  return child;
}

async function until(ms: number, check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Redis going away and coming back', { skip: !process.env.PATH?.split(':').some((d) => existsSync(`${d}/redis-server`)) && 'no redis-server binary' }, () => {
  let t: TestRoster;
  let redis: ChildProcess | undefined;
  const log = logLines();
  after(async () => {
    await t?.close();
    if (redis && redis.exitCode === null) redis.kill();
  });

  it('warns once while it is down, limits per process meanwhile, and counts in Redis again once it returns', async () => {
    redis = await ownRedis();
    t = await startRoster({ ROSTER_RATE_LIMIT: String(LIMIT), ROSTER_REDIS_URL: 'redis://127.0.0.1:6391', ROSTER_LOG_LEVEL: 'info' }, { logStream: log.stream });
    const user = await makeUser(t, 'flaky-redis-caller', 'Viewer');
    const probe = new Redis({ port: 6391, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const count = async () => {
      await probe.connect();
      try {
        return await probe.get(`roster:rl:user:${user.id}:${Math.floor(Date.now() / 60_000)}`);
      } finally {
        probe.disconnect();
      }
    };
    await awayFromWindowEdge();
    assert.equal((await t.request('GET', '/api/org', { basic: user.basic })).status, 200);
    assert.equal(await count(), '1');

    redis.kill();
    await once(redis, 'exit');
    const said = (re: RegExp) => log.entries().filter((e) => re.test(e.msg));
    await until(3_000, () => said(/Redis is unreachable/).length > 0, 'the warning');
    const r = await exhaust(t, '/api/org', { basic: user.basic });
    assert.equal(r.status, 429, 'limited per process while Redis is down');

    redis = await ownRedis(); // empty: the new window count starts at 0
    await until(8_000, () => said(/Redis is reachable again/).length > 0, 'the recovery line');
    assert.equal((await t.request('GET', '/api/org', { basic: user.basic })).status, 200);
    assert.equal(await count(), '1');
    assert.equal(said(/Redis is unreachable/).length, 1, 'one warning per outage');
  });
});

describe('Redis that accepts connections and never answers', () => {
  let t: TestRoster;
  const log = logLines();
  // Not a Redis stand-in: a network fault (a host that swallows traffic), which sends no error.
  const silent = createServer(() => {});
  after(async () => {
    await t?.close();
    silent.close();
  });

  it('a request waits at most about 2 s at start-up, then is limited per process, with a warning', { timeout: 15_000 }, async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    t = await startRoster({ ROSTER_RATE_LIMIT: String(LIMIT), ROSTER_REDIS_URL: `redis://127.0.0.1:${port}`, ROSTER_LOG_LEVEL: 'warn' }, { logStream: log.stream });
    const user = await makeUser(t, 'silent-redis-caller', 'Viewer');
    await awayFromWindowEdge();
    const started = Date.now();
    assert.equal((await t.request('GET', '/api/org', { basic: user.basic })).status, 200);
    assert.ok(Date.now() - started < 3_500, `first request took ${Date.now() - started} ms`);
    const statuses = [];
    for (let i = 1; i <= LIMIT; i++) statuses.push((await t.request('GET', '/api/org', { basic: user.basic })).status);
    assert.deepEqual(statuses, [...Array(LIMIT - 1).fill(200), 429]);
    assert.equal(log.entries().filter((e) => e.level === 40 && /Redis is unreachable/.test(e.msg)).length, 1);
  });
});
