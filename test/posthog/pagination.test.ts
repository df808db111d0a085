// docs/compat/posthog.md#pagination: limit/offset pagination with absolute, key-sorted next/previous links.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture, type Fixture } from './fixture.ts';

describe('PostHog pagination', () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
    for (let i = 1; i <= 4; i++) {
      const r = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body: { name: `Page Org ${i}` } });
      assert.equal(r.status, 201);
    }
  });
  after(() => f.t.close());

  // olivia belongs to Main Org., Acme and Page Org 1-4: six orgs.
  it('default page: all results, no links', async () => {
    const r = await f.t.request('GET', '/api/organizations/', f.owner.creds);
    assert.equal(r.body.count, 6);
    assert.equal(r.body.results.length, 6);
    assert.equal(r.body.next, null);
    assert.equal(r.body.previous, null);
  });

  it('first page links to the next with limit and offset, sorted keys, absolute URL', async () => {
    const r = await f.t.request('GET', '/api/organizations/?limit=2', f.owner.creds);
    assert.equal(r.body.count, 6);
    assert.deepEqual(
      r.body.results.map((o: any) => o.name),
      ['Main Org.', 'Acme'],
    );
    assert.equal(r.body.next, 'http://roster.test/api/organizations/?limit=2&offset=2');
    assert.equal(r.body.previous, null);
  });

  it('middle page links both ways; previous drops offset when it would be 0', async () => {
    const r = await f.t.request('GET', '/api/organizations/?offset=2&limit=2', f.owner.creds);
    assert.deepEqual(
      r.body.results.map((o: any) => o.name),
      ['Page Org 1', 'Page Org 2'],
    );
    assert.equal(r.body.next, 'http://roster.test/api/organizations/?limit=2&offset=4');
    assert.equal(r.body.previous, 'http://roster.test/api/organizations/?limit=2');
  });

  it('last page has no next; previous keeps an offset when above the limit', async () => {
    const r = await f.t.request('GET', '/api/organizations/?limit=2&offset=5', f.owner.creds);
    assert.deepEqual(
      r.body.results.map((o: any) => o.name),
      ['Page Org 4'],
    );
    assert.equal(r.body.next, null);
    assert.equal(r.body.previous, 'http://roster.test/api/organizations/?limit=2&offset=3');
  });

  it('other query parameters are kept, sorted, in the links; the path is kept as requested', async () => {
    const r = await f.t.request('GET', '/api/organizations?zeta=1&limit=1&alpha=x%20y', f.owner.creds);
    assert.equal(r.body.next, 'http://roster.test/api/organizations?alpha=x+y&limit=1&offset=1&zeta=1');
  });

  it('bad limit falls back to 100, bad offset to 0, never a 400', async () => {
    for (const q of ['limit=abc', 'limit=0', 'limit=-5', 'offset=-3', 'offset=xyz', 'limit=&offset=']) {
      const r = await f.t.request('GET', `/api/organizations/?${q}`, f.owner.creds);
      assert.equal(r.status, 200, q);
      assert.equal(r.body.results.length, 6, q);
      assert.equal(r.body.next, null, q);
    }
  });

  it('offset beyond the end: empty results, previous link', async () => {
    const r = await f.t.request('GET', '/api/organizations/?limit=2&offset=10', f.owner.creds);
    assert.deepEqual(r.body.results, []);
    assert.equal(r.body.count, 6);
    assert.equal(r.body.next, null);
    assert.equal(r.body.previous, 'http://roster.test/api/organizations/?limit=2&offset=8');
  });

  it('members, invites and integrations lists are paginated the same way', async () => {
    const base = `/api/organizations/${f.acme.uuid}`;
    const m = await f.t.request('GET', `${base}/members/?limit=1`, f.owner.creds);
    assert.equal(m.body.count, 3);
    assert.equal(m.body.next, `http://roster.test${base}/members/?limit=1&offset=1`);
    for (const email of ['a@example.com', 'b@example.com']) {
      await f.t.request('POST', `${base}/invites/`, { ...f.owner.creds, body: { target_email: email } });
    }
    const i = await f.t.request('GET', `${base}/invites/?limit=1&offset=1`, f.owner.creds);
    assert.equal(i.body.count, 2);
    assert.equal(i.body.previous, `http://roster.test${base}/invites/?limit=1`);
    const g = await f.t.request('GET', `${base}/integrations/`, f.owner.creds);
    assert.deepEqual(g.body, { count: 0, next: null, previous: null, results: [] });
  });
});
