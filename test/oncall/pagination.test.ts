// docs/compat/oncall.md#pagination: the page-number envelope, absolute links from ROSTER_PUBLIC_URL with DRF's
// sorted query, clamped pages and the perpage quirks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { pageLink } from '../../src/http/paging/drf-page-number.ts';
import { quotePlus } from '../../src/http/paging/drf-links.ts';
import { makeToken, makeUser } from './fixtures.ts';

describe('OnCall pagination', () => {
  let t: TestRoster;
  let token: string;
  const base = 'http://roster.test';
  before(async () => {
    t = await startRoster();
    token = await makeToken(t, 1, 'Viewer');
    for (const login of ['u1', 'u2', 'u3', 'u4']) await makeUser(t, login, 'Viewer');
  });
  after(() => t.close());

  const names = (r: { body: { results: { username: string }[] } }) => r.body.results.map((u) => u.username);

  it('perpage=2: page 1 links to page 2 with sorted keys; no previous', async () => {
    const r = await t.request('GET', '/api/v1/users/?perpage=2', { raw: token });
    assert.deepEqual(names(r), ['admin', 'u1']);
    assert.deepEqual(
      { ...r.body, results: undefined },
      { count: 5, next: `${base}/api/v1/users/?page=2&perpage=2`, previous: null, results: undefined, page_size: 2, current_page_number: 1, total_pages: 3 },
    );
  });

  it('page 2 links both ways; previous drops page; the path is echoed slashed or not', async () => {
    let r = await t.request('GET', '/api/v1/users/?perpage=2&page=2', { raw: token });
    assert.deepEqual(names(r), ['u2', 'u3']);
    assert.equal(r.body.next, `${base}/api/v1/users/?page=3&perpage=2`);
    assert.equal(r.body.previous, `${base}/api/v1/users/?perpage=2`);
    r = await t.request('GET', '/api/v1/users?page=3&perpage=2', { raw: token });
    assert.deepEqual(names(r), ['u4']);
    assert.equal(r.body.next, null);
    assert.equal(r.body.previous, `${base}/api/v1/users?page=2&perpage=2`);
  });

  it('blank values are kept and other values re-encoded as quote_plus', async () => {
    const r = await t.request('GET', '/api/v1/users?perpage=1&page=2&username=', { raw: token });
    assert.equal(r.body.next, `${base}/api/v1/users?page=3&perpage=1&username=`);
    assert.equal(r.body.previous, `${base}/api/v1/users?perpage=1&username=`);
    assert.equal(pageLink(base, '/api/v1/users/?email=a%40b.c&x=a+b&perpage=1', 2), `${base}/api/v1/users/?email=a%40b.c&page=2&perpage=1&x=a+b`);
    assert.equal(pageLink(base, '/api/v1/users/?page=2', 1), `${base}/api/v1/users/`);
    assert.equal(pageLink(base, '/api/v1/users/?roles=2&roles=1&page=1', 2), `${base}/api/v1/users/?page=2&roles=2&roles=1`);
    assert.equal(quotePlus("a b@c/d!'()*~"), 'a+b%40c%2Fd%21%27%28%29%2A~');
  });

  it('a page past the end serves the last page; bad page values are page 1', async () => {
    let r = await t.request('GET', '/api/v1/users/?perpage=2&page=99', { raw: token });
    assert.deepEqual([r.status, r.body.current_page_number, names(r)], [200, 3, ['u4']]);
    assert.equal(r.body.previous, `${base}/api/v1/users/?page=2&perpage=2`);
    for (const page of ['0', '-3', 'abc', '1.5', '']) {
      r = await t.request('GET', `/api/v1/users/?perpage=2&page=${page}`, { raw: token });
      assert.deepEqual([r.status, r.body.current_page_number], [200, 1], page);
    }
    r = await t.request('GET', '/api/v1/users/?perpage=2&page=last', { raw: token });
    assert.equal(r.body.current_page_number, 3);
    // offsets beyond any integer column are just "past the end", never a database error
    r = await t.request('GET', '/api/v1/users/?perpage=999999999999999&page=999999999999999', { raw: token });
    assert.deepEqual([r.status, r.body.current_page_number, r.body.results.length], [200, 1, 5]);
  });

  it('perpage not a positive int gives the default; perpage is not capped but page_size reports at most 100', async () => {
    for (const perpage of ['0', '-1', 'x']) {
      const r = await t.request('GET', `/api/v1/users/?perpage=${perpage}`, { raw: token });
      assert.deepEqual([r.body.page_size, r.body.results.length], [100, 5], perpage);
    }
    const r = await t.request('GET', '/api/v1/users/?perpage=150', { raw: token });
    assert.deepEqual([r.body.page_size, r.body.total_pages], [100, 1]);
  });

  it('an empty list is one page', async () => {
    const r = await t.request('GET', '/api/v1/teams/', { raw: token });
    assert.deepEqual(r.body, { count: 0, next: null, previous: null, results: [], page_size: 50, current_page_number: 1, total_pages: 1 });
  });
});

describe('OnCall links follow ROSTER_PUBLIC_URL, path prefix included', () => {
  it('builds next from a public URL with a path', async () => {
    const t = await startRoster({ ROSTER_PUBLIC_URL: 'https://example.org/oncall/' });
    try {
      const token = await makeToken(t, 1, 'Viewer');
      await makeUser(t, 'p1', 'Viewer');
      const r = await t.request('GET', '/api/v1/users/?perpage=1', { raw: token });
      assert.equal(r.body.next, 'https://example.org/oncall/api/v1/users/?page=2&perpage=1');
    } finally {
      await t.close();
    }
  });
});
