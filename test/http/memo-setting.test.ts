// ROSTER_MEMO (src/config.ts): with `off`, a read repeated at once sees a change made straight in
// the database (as another process or `roster admin` would make it, with nothing dropping the
// memo); with `on` (the default), the same read within TTL_MS still answers from the response,
// read and listing memos (src/http/memo/memos.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { TTL_MS } from '../../src/http/memo/expiring-memo.ts';

interface Seen {
  /** GET /api/org: the read memo. */
  orgName: string;
  /** GET /api/org/users: the response memo. */
  bobName: string;
  /** GET /api/users/search totalCount: the listing memo's totals (the URL differs, the listing does not). */
  searchTotal: number;
}

async function read(t: TestRoster, perPage: number): Promise<Seen> {
  const org = await t.request('GET', '/api/org', t.admin);
  const users = await t.request('GET', '/api/org/users', t.admin);
  const search = await t.request('GET', `/api/users/search?query=zed&perpage=${perPage}`, t.admin);
  assert.equal(org.status, 200);
  assert.equal(users.status, 200);
  assert.equal(search.status, 200);
  return {
    orgName: org.body.name,
    bobName: users.body.find((u: { login: string }) => u.login === 'bob').name,
    searchTotal: search.body.totalCount,
  };
}

/** Reads twice (a response is kept from its second computation), changes the rows directly, reads again. */
async function readChangeRead(t: TestRoster, bobId: number): Promise<{ before: Seen; after: Seen; elapsedMs: number }> {
  await read(t, 10);
  const started = Date.now();
  const before = await read(t, 10);
  const db = t.roster.ctx.db;
  await db.updateTable('orgs').set({ name: 'Renamed Behind The Back' }).where('id', '=', 1).execute();
  await db.updateTable('users').set({ name: 'Zed Robert' }).where('id', '=', bobId).execute();
  // perpage 11: another URL (not a response-memo hit) of the same listing (a listing-memo total).
  const afterChange = await read(t, 11);
  const again = await read(t, 10);
  return { before, after: { ...again, searchTotal: afterChange.searchTotal }, elapsedMs: Date.now() - started };
}

for (const setting of ['off', 'on'] as const) {
  describe(`ROSTER_MEMO=${setting}`, () => {
    let t: TestRoster;
    let bobId: number;

    before(async () => {
      t = await startRoster({ ROSTER_MEMO: setting });
      const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'bob', email: 'bob@example.com', password: 'bob-pass-1', name: 'Bob' } });
      assert.equal(r.status, 200);
      bobId = r.body.id;
    });
    after(() => t.close());

    it(setting === 'off' ? 'a repeated read sees a direct database change at once' : 'a repeated read within TTL_MS answers from the memos', async (c) => {
      const { before, after, elapsedMs } = await readChangeRead(t, bobId);
      assert.deepEqual(before, { orgName: before.orgName, bobName: 'Bob', searchTotal: 0 });
      if (setting === 'off') {
        assert.deepEqual(after, { orgName: 'Renamed Behind The Back', bobName: 'Zed Robert', searchTotal: 1 });
      } else {
        // Only meaningful while every read fell within the memo's lifetime; a machine too busy
        // for that says nothing about the memo, so the comparison is skipped, not failed.
        if (elapsedMs >= TTL_MS) return c.skip(`the reads took ${elapsedMs} ms, longer than TTL_MS (${TTL_MS} ms)`);
        assert.deepEqual(after, before);
      }
    });
  });
}

describe('ROSTER_MEMO values', () => {
  it('refuses anything but on or off', async () => {
    await assert.rejects(startRoster({ ROSTER_MEMO: 'maybe' }), /ROSTER_MEMO must be on or off/);
  });
});
