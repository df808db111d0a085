// GET /api/users/search and /api/orgs paged page after page (grafana-client, Terraform): each page
// starts after the end of the page before (a keyset read), and the pages are exactly the offset pages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { TTL_MS } from '../../src/http/memo/expiring-memo.ts';

describe('Grafana paging loops', () => {
  let t: TestRoster;
  const page = async (n: number, extra = '', perpage = 5) => {
    const r = await t.request('GET', `/api/users/search?perpage=${perpage}&page=${n}${extra}`, t.admin);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as { totalCount: number; users: { login: string }[] };
  };
  const logins = (b: { users: { login: string }[] }) => b.users.map((u) => u.login);

  before(async () => {
    t = await startRoster();
    // Logins sharing prefixes and emails that differ in case order exercise the (login, email, id) order.
    for (const login of ['b1', 'a2', 'c3', 'a10', 'b20', 'a3', 'c1', 'b2', 'a1', 'z9', 'm5', 'm50', 'q']) {
      const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, password: 'secret-1' } });
      assert.equal(r.status, 200);
    }
  });
  after(() => t.close());

  it('pages read in order equal the pages read backwards (offsets only) and the whole sorted list', async () => {
    const forward = [];
    for (let n = 1; n <= 4; n++) forward.push(logins(await page(n)));
    await new Promise((r) => setTimeout(r, TTL_MS + 100)); // nothing remembered any more
    const backward = [];
    for (let n = 4; n >= 1; n--) backward.unshift(logins(await page(n)));
    assert.deepEqual(forward, backward);
    const all = logins(await page(1, '', 100));
    assert.deepEqual(forward.flat(), all);
    assert.deepEqual(all, [...all].sort());
    assert.deepEqual(
      forward.map((p) => p.length),
      [5, 5, 4, 0],
    ); // the admin and 13 users
  });

  it('the next page continues after the end of the page before (keyset), not at a row count', async () => {
    await new Promise((r) => setTimeout(r, TTL_MS + 100));
    const first = logins(await page(1));
    const second = logins(await page(2, '&sort=login-asc,email-asc')); // explicit sort: an offset read
    // Straight to the database, as a process that cannot notify would: a row of page 1 vanishes.
    await t.roster.ctx.db.deleteFrom('users').where('login', '=', first[0]).execute();
    // Page 2 starts after page 1's last row, as it was served; an offset read would start one later.
    assert.deepEqual(logins(await page(2)), second);
    // (Another URL than the explicit-sort read above, whose answer is still memoized.)
    assert.notDeepEqual(logins(await page(2, '&sort=login-asc')), second);
  });

  it('a write through Roster makes the next page an offset read again', async () => {
    await new Promise((r) => setTimeout(r, TTL_MS + 100));
    const first = logins(await page(1));
    const created = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'a0', email: 'a0@example.com', password: 'secret-1' } });
    assert.equal(created.status, 200);
    // "a0" sorts first: page 2 now begins with what was page 1's last row.
    assert.equal(logins(await page(2))[0], first[4]);
    assert.equal((await page(1)).totalCount, (await page(1, '', 100)).users.length);
  });

  it('the total is counted once until a write, not once per response memo lifetime', async () => {
    const before = (await page(1)).totalCount;
    // Behind Roster's back (as a process that cannot notify): the total is still the counted one.
    await t.roster.ctx.db.deleteFrom('users').where('login', '=', 'q').execute();
    await new Promise((r) => setTimeout(r, TTL_MS + 100));
    assert.equal((await page(1)).totalCount, before);
    // A write through Roster: counted again.
    assert.equal((await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'q2', password: 'secret-1' } })).status, 200);
    assert.equal((await page(1)).totalCount, before);
    assert.equal((await page(1)).totalCount, (await page(1, '', 100)).users.length);
  });

  it('GET /api/orgs (zero-based pages) read forwards equals read backwards, by name', async () => {
    for (const name of ['Orga K', 'orga b', 'Orga A', 'Orga Z', 'Orga 9', 'Orga m']) {
      assert.equal((await t.request('POST', '/api/orgs', { ...t.admin, body: { name } })).status, 200);
    }
    const orgPage = async (n: number) => {
      const r = await t.request('GET', `/api/orgs?perpage=3&page=${n}`, t.admin);
      assert.equal(r.status, 200);
      return (r.body as { name: string }[]).map((o) => o.name);
    };
    const forward = [];
    for (let n = 0; n <= 2; n++) forward.push(await orgPage(n));
    await new Promise((r) => setTimeout(r, TTL_MS + 100));
    const backward = [];
    for (let n = 2; n >= 0; n--) backward.unshift(await orgPage(n));
    assert.deepEqual(forward, backward);
    assert.deepEqual(
      forward.map((p) => p.length),
      [3, 3, 1],
    ); // Main Org. and six more
    assert.ok(forward.flat().includes('Main Org.'));
  });
});
