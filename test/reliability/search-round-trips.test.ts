// A user search reads its total and its page's trigram counts (store/user-grams.ts) in one
// statement: the route asks for both at once, and the gram counts asked for in one turn of the
// event loop are read together. Counted on the real `pg` client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KIND, startRoster, type TestRoster } from '../helpers/roster.ts';
import { observe } from '../helpers/pg-round-trips.ts';

const readsGramCounts = (text: string) => /\buser_grams\b/.test(text);

describe('PostgreSQL statements of a user search', { skip: DB_KIND !== 'postgres' && 'PostgreSQL only: counted on the pg client' }, () => {
  let t: TestRoster;
  before(async () => {
    // Memo off: each search reads the database, as one asking something new does.
    t = await startRoster({ ROSTER_MEMO: 'off' });
    for (let i = 0; i < 30; i++) {
      const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: `walker${i}`, email: `walker${i}@example.com`, password: 'walker-password' } });
      assert.equal(r.status, 200, r.text);
    }
    // The admin's credential is verified and memoized before counting.
    assert.equal((await t.request('GET', '/api/users/search?query=walk&perpage=5', t.admin)).status, 200);
  });
  after(() => t.close());

  for (const query of ['alke', 'lker1', 'er2', 'walker', 'nobody']) {
    it(`?query=${query}: the total and the trigram counts in one statement, the answer unchanged`, async () => {
      let body: { totalCount: number; users: { login: string }[] } | undefined;
      const seen = await observe(async () => {
        const r = await t.request('GET', `/api/users/search?query=${query}&perpage=5`, t.admin);
        assert.equal(r.status, 200, r.text);
        body = r.body;
      });
      assert.equal(seen.queries.filter(readsGramCounts).length, 1, seen.queries.join('\n---\n'));
      const expected = Array.from({ length: 30 }, (_, i) => `walker${i}`)
        .filter((l) => l.includes(query))
        .sort();
      assert.equal(body!.totalCount, expected.length);
      assert.deepEqual(
        body!.users.map((u) => u.login),
        expected.slice(0, 5),
      );
    });
  }
});
