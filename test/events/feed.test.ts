// The change-event feed: every audited change is an event, in commit order, resumable from a
// cursor, readable by server admins (all orgs) and org Admins (their org only), never a secret,
// and a clear 410 once a cursor is older than the retention window.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { makeOrg, makeUser } from '../oncall/fixtures.ts';
import { withoutSecrets } from '../../src/domain/change-events.ts';
import { dumpTables } from '../helpers/dump.ts';

const feed = (t: TestRoster, query: string, creds = t.admin) => t.request('GET', `/api/roster/v1/events${query}`, creds);

describe('change-event feed', () => {
  let t: TestRoster;
  let otherOrg: number;
  let orgAdmin: { id: number; basic: [string, string] };
  let foreignAdmin: { id: number; basic: [string, string] };
  let viewer: { id: number; basic: [string, string] };

  before(async () => {
    t = await startRoster({ ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true' });
    otherOrg = await makeOrg(t, 'Other org');
    orgAdmin = await makeUser(t, 'feed-admin', 'Admin', 1);
    foreignAdmin = await makeUser(t, 'foreign-admin', 'Admin', otherOrg);
    viewer = await makeUser(t, 'feed-viewer', 'Viewer', 1);
  });
  after(() => t.close());

  it('reads every change in commit order, and resumes from any cursor', async () => {
    const all = await feed(t, '?limit=1000');
    assert.equal(all.status, 200, all.text);
    const ids = all.body.events.map((e: { id: string }) => Number(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.ok(all.body.events.some((e: { type: string }) => e.type === 'org.create'));
    assert.ok(all.body.events.some((e: { type: string }) => e.type === 'user.create'));
    // Paging by two from the start gives the same events.
    const paged: string[] = [];
    for (let cursor: string | undefined; ;) {
      const page = await feed(t, `?limit=2${cursor === undefined ? '' : `&after=${cursor}`}`);
      assert.equal(page.status, 200, page.text);
      if (!page.body.events.length) {
        assert.equal(page.body.next, cursor);
        break;
      }
      paged.push(...page.body.events.map((e: { id: string }) => e.id));
      cursor = page.body.next;
    }
    assert.deepEqual(paged, ids.map(String));
  });

  it('a reader following the feed during concurrent writes misses none (commit-ordered cursor)', async () => {
    const start = (await feed(t, '?limit=1000')).body.next as string;
    let cursor = start;
    const seen: string[] = [];
    let writing = true;
    const reader = (async () => {
      for (;;) {
        const done = !writing;
        const page = await feed(t, `?after=${cursor}&limit=1000`);
        assert.equal(page.status, 200, page.text);
        seen.push(...page.body.events.map((e: { id: string }) => e.id));
        cursor = page.body.next;
        if (done && !page.body.events.length) return;
        // A follower over HTTP gets each page through the event loop. Injected requests on SQLite
        // (synchronous reads) never leave the microtask queue: without this turn the writes'
        // commit (on the next turn, store/group-commit.ts) waits for the loop to stop spinning.
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all(Array.from({ length: 40 }, (_, i) => t.request('POST', '/api/teams', { ...t.admin, body: { name: `concurrent-${i}` } }).then((r) => assert.equal(r.status, 200, r.text))));
    writing = false;
    await reader;
    // What the follower saw, page by page while the writes committed, is the whole feed since.
    const all = await feed(t, `?after=${start}&limit=1000`);
    assert.deepEqual(
      seen,
      all.body.events.map((e: { id: string }) => e.id),
    );
    assert.equal(all.body.events.filter((e: { type: string }) => e.type === 'team.create').length, 40);
  });

  it('a role change carries before and after; types filter', async () => {
    const last = (await feed(t, '?limit=1000')).body.next;
    const r = await t.request('PATCH', `/api/orgs/1/users/${viewer.id}`, { ...t.admin, body: { role: 'Editor' } });
    assert.equal(r.status, 200, r.text);
    const page = await feed(t, `?after=${last}&types=member.role.update,team.create`);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.body.events.length, 1);
    const e = page.body.events[0];
    assert.equal(e.type, 'member.role.update');
    assert.equal(e.orgId, 1);
    assert.equal(e.data.objectType, 'member');
    assert.equal(e.data.actor.login, 'admin');
    assert.equal(JSON.stringify(e.data.before).includes('Viewer'), true, JSON.stringify(e));
    assert.equal(JSON.stringify(e.data.after).includes('Editor'), true, JSON.stringify(e));
    // Back again, for the other tests' roles.
    await t.request('PATCH', `/api/orgs/1/users/${viewer.id}`, { ...t.admin, body: { role: 'Viewer' } });
  });

  it('sign-ins and failed logins are audited but are no events', async () => {
    const last = (await feed(t, '?limit=1000')).body.next;
    await t.request('GET', '/api/user', { basic: ['feed-viewer', 'wrong-password'] });
    await t.request('POST', '/login', { body: { user: 'feed-viewer', password: 'password1' } });
    const page = await feed(t, `?after=${last}`);
    assert.deepEqual(page.body.events, []);
  });

  it('never carries a secret: tokens, passwords and invite codes stay out', async () => {
    const last = (await feed(t, '?limit=1000')).body.next;
    const sa = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'feed-sa', role: 'Viewer' } });
    assert.equal(sa.status, 201, sa.text);
    const token = await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...t.admin, body: { name: 'feed-token' } });
    assert.equal(token.status, 200, token.text);
    const pw = await t.request('PUT', `/api/admin/users/${viewer.id}/password`, { ...t.admin, body: { password: 'a-new-password-9' } });
    assert.equal(pw.status, 200, pw.text);
    viewer.basic = ['feed-viewer', 'a-new-password-9'];
    const page = await feed(t, `?after=${last}`);
    const text = JSON.stringify(page.body);
    assert.ok(page.body.events.some((e: { type: string }) => e.type === 'token.create'));
    assert.ok(page.body.events.some((e: { type: string }) => e.type === 'user.password.set'));
    assert.ok(!text.includes(token.body.key), 'the token key is in the feed');
    assert.ok(!text.includes('a-new-password-9'), 'the password is in the feed');
    // The one place payloads are cleaned removes credential keys at any depth.
    assert.deepEqual(withoutSecrets({ label: 'x', password: 'p', nested: [{ secret: 's', codeHash: 'h', key: 'k', apiToken: 't', ok: 1 }] }), { label: 'x', nested: [{ ok: 1 }] });
  });

  it('org Admins read their own org only; others are refused and nothing changes', async () => {
    const own = await feed(t, '?limit=1000', { basic: orgAdmin.basic });
    assert.equal(own.status, 200, own.text);
    assert.ok(own.body.events.length > 0);
    assert.ok(own.body.events.every((e: { orgId: number }) => e.orgId === 1));
    const before = await dumpTables(t.roster.ctx.db);
    const foreign = await feed(t, '?orgId=1', { basic: foreignAdmin.basic });
    assert.equal(foreign.status, 403, foreign.text);
    const mine = await feed(t, '', { basic: foreignAdmin.basic });
    assert.equal(mine.status, 200);
    assert.ok(mine.body.events.every((e: { orgId: number }) => e.orgId === otherOrg));
    assert.equal((await feed(t, '', { basic: viewer.basic })).status, 403);
    assert.equal((await feed(t, '', {})).status, 401);
    for (const bad of ['?after=-1', '?after=abc', '?limit=0', '?limit=1001', '?after=99999999999', '?orgId=x']) {
      const r = await feed(t, bad);
      assert.equal(r.status, 400, `${bad}: ${r.text}`);
      assert.equal(r.body.error.code, 'param.invalid');
    }
    assert.equal(await dumpTables(t.roster.ctx.db), before);
  });
});

describe('change-event feed retention', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster({ ROSTER_EVENTS_RETENTION_PERIOD: '1s' }, { pruneEveryMs: 100 });
  });
  after(() => t.close());

  it('a cursor older than the window is a clear 410; starting over works', async () => {
    const first = await feed(t, '?limit=1');
    assert.equal(first.status, 200);
    const cursor = first.body.next;
    await makeOrg(t, 'Made later');
    await new Promise((r) => setTimeout(r, 1600));
    const gone = await feed(t, `?after=${cursor}`);
    assert.equal(gone.status, 410, gone.text);
    assert.equal(gone.body.error.code, 'events.cursor-expired');
    const fresh = await feed(t, '');
    assert.equal(fresh.status, 200);
    // Resuming from the returned `next` of an empty feed is within the window.
    assert.equal((await feed(t, `?after=${fresh.body.next}`)).status, 200);
  });

  it('positions are never given twice, even once retention has deleted every event', async () => {
    await makeOrg(t, 'Before the purge');
    const seen = (await feed(t, '?limit=1000')).body;
    const last = Number(seen.next);
    assert.ok(last > 0);
    await new Promise((r) => setTimeout(r, 1600));
    assert.deepEqual((await feed(t, '')).body.events, [], 'every event is past the window');
    await makeOrg(t, 'After the purge');
    const later = await feed(t, `?after=${seen.next}`);
    assert.equal(later.status, 200, later.text);
    assert.ok(later.body.events.some((e: { type: string }) => e.type === 'org.create'));
    for (const e of later.body.events) assert.ok(Number(e.id) > last, `${e.id} after ${last}`);
  });
});
