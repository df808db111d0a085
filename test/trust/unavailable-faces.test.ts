// Each face answers a request the database cannot serve with 503, Retry-After and its own error
// body (docs/faults.md), and serves again once the database is back, with no restart.
// The database is made unusable for real: on PostgreSQL it stops accepting connections and
// loses the ones it had (so every request needs a new one and cannot get it); on SQLite the
// server's own connection is switched to query-only, so every write fails with SQLITE_READONLY.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { DB_KIND, PG_ADMIN_URL, startRoster, type Reply, type TestRoster } from '../helpers/roster.ts';
import { makeToken } from '../oncall/fixtures.ts';

const MESSAGE = 'Service temporarily unavailable, try again later.';

/** Turns the database away from this server, and back. */
async function outage(t: TestRoster): Promise<{ end(): Promise<void> }> {
  if (DB_KIND === 'sqlite') {
    await sql`pragma query_only = on`.execute(t.roster.ctx.db);
    return { end: async () => void (await sql`pragma query_only = off`.execute(t.roster.ctx.db)) };
  }
  const name = new URL(t.config.databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`alter database ${name} allow_connections false`);
  await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
  return {
    async end() {
      await admin.query(`alter database ${name} allow_connections true`);
      await admin.end();
    },
  };
}

function unavailable(r: Reply) {
  assert.equal(r.status, 503, r.text);
  assert.match(String(r.headers['retry-after']), /^[1-9]\d*$/);
}

describe(`every face answers 503 with Retry-After while the database is unavailable (${DB_KIND})`, () => {
  let t: TestRoster;
  let oncallToken: string;
  let oncallOrg: string;
  before(async () => {
    t = await startRoster();
    oncallToken = await makeToken(t, 1, 'Admin');
    const orgs = await t.request('GET', '/api/v1/organizations/', { raw: oncallToken });
    assert.equal(orgs.status, 200, orgs.text);
    oncallOrg = orgs.body.results[0].id;
  });
  after(() => t?.close());

  // One write per face (reads may be answered from memos without the database).
  const writes = (n: number) => ({
    grafana: () => t.request('POST', '/api/orgs', { ...t.admin, body: { name: `Outage ${n}` } }),
    oncall: () => t.request('PATCH', `/api/v1/organizations/${oncallOrg}/`, { raw: oncallToken, body: { manually_manage_direct_paging_integrations: n % 2 === 0 } }),
    posthog: () => t.request('POST', '/api/organizations/', { ...t.admin, body: { name: `PostHog outage ${n}` } }),
    native: () => t.request('PATCH', '/api/roster/v1/orgs/1/settings', { ...t.admin, body: { manuallyManageDirectPagingIntegrations: n % 2 === 0 } }),
    session: () => t.request('POST', '/login', { body: { user: 'admin', password: t.admin.basic![1] } }),
  });

  it('answers in each face own error format, then serves again', async () => {
    const down = await outage(t);
    let during: Record<string, Reply>;
    try {
      const w = writes(1);
      during = {
        grafana: await w.grafana(),
        oncall: await w.oncall(),
        posthog: await w.posthog(),
        native: await w.native(),
        session: await w.session(),
      };
    } finally {
      await down.end();
    }
    for (const r of Object.values(during)) unavailable(r);
    assert.deepEqual(Object.keys(during.grafana.body).sort(), ['message', 'requestId', 'traceID']);
    assert.equal(during.grafana.body.message, MESSAGE);
    assert.deepEqual(during.oncall.body, { detail: MESSAGE });
    assert.deepEqual(during.posthog.body, { type: 'server_error', code: 'service_unavailable', detail: MESSAGE, attr: null });
    assert.deepEqual(during.native.body, { error: { code: 'store.unavailable', message: MESSAGE } });
    assert.deepEqual(during.session.body, { message: MESSAGE });

    // Back: the same requests succeed on the same process (PostgreSQL: the pool reconnects).
    const w = writes(2);
    for (const [face, call] of Object.entries(w)) {
      const r = await call();
      assert.ok(r.status >= 200 && r.status < 300, `${face} after the outage: ${r.status} ${r.text}`);
    }
  });

  const healthSkip = DB_KIND === 'sqlite' && 'SQLite in query-only mode still reads, so health stays 200 (disk full: test/trust/sqlite-full.test.ts)';
  it('/api/health answers 503 with Retry-After during the outage, 200 after', { skip: healthSkip }, async () => {
    const down = await outage(t);
    let during: Reply;
    try {
      during = await t.request('GET', '/api/health');
    } finally {
      await down.end();
    }
    unavailable(during);
    assert.equal(during.body.database, 'failing');
    assert.equal((await t.request('GET', '/api/health')).status, 200);
  });
});
