// A page read out of order deep in GET /api/users/search or /api/orgs (a paging loop's first page
// in the middle of the list) starts from the skip index (every STRIDE-th key, found by hops) and
// skips fewer than STRIDE rows: the same rows as an offset read, unless the database changed
// behind Roster's back, and a write through Roster drops the index.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { TTL_MS } from '../../src/http/memo/expiring-memo.ts';
import { STRIDE } from '../../src/http/memo/paging-loop.ts';
import { bulkSeed } from '../../src/cli/bulk-seed.ts';
import { hashPassword } from '../../src/domain/secrets.ts';

const USERS = 3 * STRIDE + 150;
const ORGS = 2 * STRIDE + 20;

describe('deep pages through the skip index', () => {
  let t: TestRoster;
  const get = async (url: string) => {
    const r = await t.request('GET', url, t.admin);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  // An explicit sort of the same order is always an offset read (and another URL, so not memoized).
  const userPage = async (page: number, perpage: number, offsetRead = false) =>
    ((await get(`/api/users/search?perpage=${perpage}&page=${page}${offsetRead ? '&sort=login-asc,email-asc' : ''}`)).users as { login: string }[]).map((u) => u.login);
  const pause = () => new Promise((r) => setTimeout(r, TTL_MS + 100)); // the response memo forgets

  before(async () => {
    t = await startRoster();
    await bulkSeed(t.roster.store, { users: USERS, orgs: ORGS, memberships: 0, passwordHash: await hashPassword('seed-password') });
  });
  after(() => t.close());

  it('users: deep pages out of order equal offset reads, at every distance from an index key', async () => {
    for (const [page, perpage] of [
      [31, 100],
      [11, 250],
      [3, 1000],
      [2, 999],
      [4, 1000],
      [40, 77],
      [1000, 5],
    ] as const) {
      assert.deepEqual(await userPage(page, perpage), await userPage(page, perpage, true), `page ${page} of ${perpage}`);
    }
    // Past the end: empty, as an offset read.
    assert.deepEqual(await userPage(9, 1000), []);
  });

  it('users: the index is used, and a write through Roster drops it', async () => {
    await pause();
    const deep = await userPage(26, 100); // rows 2500..2599, from the index key at row 1999
    // Behind Roster's back (as a process that cannot notify): a row before the index key goes.
    const victim = (await userPage(1, 5, true))[3]!;
    await t.roster.ctx.db.deleteFrom('users').where('login', '=', victim).execute();
    await pause();
    // Still from the index: the same rows as before; an offset read now starts one row later.
    assert.deepEqual(await userPage(26, 100), deep);
    assert.equal((await userPage(26, 100, true))[0], deep[1]);
    // A write through Roster drops the index (and every remembered position).
    assert.equal((await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'zz-new', password: 'secret-1' } })).status, 200);
    assert.deepEqual(await userPage(26, 100), await userPage(26, 100, true));
  });

  it('orgs (zero-based pages): deep pages out of order equal offset reads', async () => {
    const names = async (url: string) => ((await get(url)) as { name: string }[]).map((o) => o.name);
    const all = await names('/api/orgs?perpage=5000');
    assert.equal(all.length, ORGS + 1);
    for (const [page, perpage] of [
      [19, 100],
      [1, 1500],
      [600, 3],
      [2, 1000],
    ] as const) {
      assert.deepEqual(await names(`/api/orgs?perpage=${perpage}&page=${page}`), all.slice(page * perpage, (page + 1) * perpage), `page ${page} of ${perpage}`);
    }
  });
});
