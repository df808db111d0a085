// What start-up relies on: the admin check of every start (domain/bootstrap.ts) reads an index,
// not every user (migration 0010), and the built server (scripts/build-server.mjs, one bundle run
// through V8's code cache by scripts/server-main.mjs) serves like the sources do: validation,
// serialization, the packages left outside the bundle, the OpenAPI document built on first use;
// and a damaged code cache costs a recompile, never a start.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { ADMIN_PASSWORD, DB_KIND, freshDatabase } from '../helpers/roster.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { anyServerAdminExcept } from '../../src/store/users.ts';
import { BUILT, serve, type Served } from '../scaleout/spawn.ts';

describe(`start-up (${DB_KIND})`, () => {
  let store: Store;
  let drop: () => Promise<void>;
  before(async () => {
    const database = await freshDatabase();
    drop = database.drop;
    store = await openStore(database.url, { poolSize: 1 });
    await migrate(store);
  });
  after(async () => {
    await store?.close();
    await drop?.();
  });

  it('finds a server admin through the users_is_admin index, with the flag a bound parameter', async () => {
    const db = store.db;
    await db
      .insertInto('users')
      .values(
        [1, 2, 3].map((n) => ({
          uid: `u${n}`,
          public_id: `p${n}`,
          uuid: `00000000-0000-4000-8000-00000000000${n}`,
          login: `u${n}`,
          email: `u${n}@x.test`,
          password_hash: null,
          is_admin: n === 3 ? 1 : 0,
          created_at: '2026-01-01 00:00:00',
          updated_at: '2026-01-01 00:00:00',
          last_seen_at: '2026-01-01 00:00:00',
        })),
      )
      .execute();
    // The query of store/users.ts anyServerAdminExcept, which bootstrap runs at every start.
    assert.equal((await anyServerAdminExcept(db, 0))?.id !== undefined, true);
    const query = db.selectFrom('users').select('id').where('is_admin', '=', 1).where('id', '!=', 0).limit(1).compile();
    let plan: string;
    if (DB_KIND === 'sqlite') {
      const rows = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
      plan = rows.rows.map((r) => r.detail).join('\n');
    } else {
      // A generic plan, as a prepared statement gets: the flag is a parameter, not the literal 1.
      plan = await db.connection().execute(async (c) => {
        await sql`set enable_seqscan = off`.execute(c);
        await sql`set plan_cache_mode = force_generic_plan`.execute(c);
        await sql.raw(`prepare admin_check as ${query.sql}`).execute(c);
        const rows = await sql.raw<{ 'QUERY PLAN': string }>(`explain execute admin_check(${query.parameters.map((p) => Number(p)).join(', ')})`).execute(c);
        await sql`deallocate admin_check`.execute(c);
        await sql`reset enable_seqscan`.execute(c);
        await sql`reset plan_cache_mode`.execute(c);
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    }
    assert.match(plan, /users_is_admin/, plan);
  });
});

describe(`the built server, as npm start runs it (${DB_KIND})`, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let served: Served | undefined;
  before(async () => {
    // What `npm start` does first: builds dist/server when it is missing or older than src/.
    execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { stdio: 'ignore' });
    db = await freshDatabase();
    served = await serve(db.url, 4836, [], /listening on/, BUILT);
  });
  after(async () => {
    assert.equal(await served?.stop(), 0);
    await db?.drop();
  });

  it('validates, serializes and serves the files of the packages left outside the bundle', async () => {
    const s = served!;
    const admin = { basic: ['admin', ADMIN_PASSWORD] as [string, string] };
    assert.equal((await s.request('GET', '/api/health')).status, 200);
    // A response schema shared by many routes, serialized by the one compiled serializer.
    const org = await s.request('GET', '/api/org', admin);
    assert.equal(org.status, 200);
    assert.deepEqual(Object.keys(org.body).sort(), ['address', 'id', 'name']);
    // Request validation: Fastify's Ajv (Grafana face) and the PostHog face's own.
    const grafana = await s.request('POST', '/api/orgs', { ...admin, body: { name: 7 } });
    assert.equal(grafana.status, 400);
    const posthog = await s.request('POST', '/api/organizations/', { ...admin, body: {} });
    assert.equal(posthog.status, 400);
    assert.equal(posthog.body.attr, 'name');
    // @fastify/swagger-ui serves its files from its own package folder.
    const page = await fetch(`http://127.0.0.1:${s.port}/api/docs/static/swagger-ui.css`);
    assert.equal(page.status, 200);
    assert.ok((await page.text()).length > 1000);
  });

  it('builds the OpenAPI document at its first request, with the packages left outside the bundle', async () => {
    const doc = await served!.request('GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    for (const path of ['/api/orgs', '/api/v1/users', '/api/organizations', '/scim/v2/Users']) assert.ok(doc.body.paths[path], path);
  });
});

describe(`the built server with a damaged code cache (${DB_KIND})`, () => {
  // A copy of dist/server beside it (the packages outside the bundle resolve from its folder), so
  // the servers other tests start from dist/server keep their cache.
  const copy = `dist/server-cache-${randomBytes(4).toString('hex')}`;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  before(async () => {
    execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { stdio: 'ignore' });
    cpSync('dist/server', copy, { recursive: true });
    db = await freshDatabase();
  });
  after(async () => {
    rmSync(copy, { recursive: true, force: true });
    await db?.drop();
  });

  it('starts and serves when V8 refuses the cache, and writes a new one at exit', async () => {
    const cache = `${copy}/roster.cjs.cache`;
    const damaged = randomBytes(4096);
    writeFileSync(cache, damaged);
    const s = await serve(db.url, 4837, [], /listening on/, [`${copy}/main.js`]);
    try {
      assert.equal((await s.request('GET', '/api/health')).status, 200);
    } finally {
      assert.equal(await s.stop(), 0);
    }
    const written = readFileSync(cache);
    assert.ok(written.length > 100_000 && !written.equals(damaged), 'a new cache replaces the damaged one');
    // And the next start takes it.
    const again = await serve(db.url, 4837, [], /listening on/, [`${copy}/main.js`]);
    try {
      assert.equal((await again.request('GET', '/api/health')).status, 200);
    } finally {
      assert.equal(await again.stop(), 0);
    }
  });
});
