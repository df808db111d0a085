// The paging module (src/http/paging/): each product's way of asking for a page becomes one
// window of rows, and DRF's links are rebuilt the one way OnCall and PostHog share.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { grafanaPage } from '../../src/http/paging/grafana-pages.ts';
import { limitOffset, limitOffsetPage } from '../../src/http/paging/drf-limit-offset.ts';
import { drfLink } from '../../src/http/paging/drf-links.ts';

describe('paging styles', () => {
  it('Grafana: one-based pages, zero-based on /api/orgs, bad values as Go reads them', () => {
    assert.deepEqual(grafanaPage({ perpage: '10', page: '3' }), { page: 3, perPage: 10, limit: 10, offset: 20 });
    assert.deepEqual(grafanaPage({ perpage: '10', page: '3' }, 0), { page: 3, perPage: 10, limit: 10, offset: 30 });
    assert.deepEqual(grafanaPage({ perpage: 'x', page: '-2' }), { page: 1, perPage: 1000, limit: 1000, offset: 0 });
    assert.deepEqual(grafanaPage({ page: '-2' }, 0), { page: 0, perPage: 1000, limit: 1000, offset: 0 });
    // Past 2^53 rows the offset stays an integer both databases take.
    assert.equal(grafanaPage({ perpage: '5000', page: '9007199254740991' }).offset, Number.MAX_SAFE_INTEGER);
  });

  it('PostHog: limit/offset from query text, or from integers a validator already coerced', () => {
    assert.deepEqual(limitOffset({ limit: ' 5 ', offset: '10' }), { limit: 5, offset: 10 });
    assert.deepEqual(limitOffset({ limit: 5, offset: 10 }), { limit: 5, offset: 10 });
    assert.deepEqual(limitOffset({ limit: '0', offset: '-1' }), { limit: 100, offset: 0 });
    assert.deepEqual(limitOffset({ limit: 2.5, offset: 'x' }), { limit: 100, offset: 0 });
  });

  it("DRF's links: keys sorted, blank values kept, Python's quote_plus", () => {
    const url = '/api/organizations/?zeta=a*b~c&blank=&limit=2&q=x+y%40z';
    assert.equal(drfLink('http://r.test', url, { offset: '4' }), 'http://r.test/api/organizations/?blank=&limit=2&offset=4&q=x+y%40z&zeta=a%2Ab~c');
    const page = limitOffsetPage('http://r.test', { url: '/api/organizations/?limit=2&offset=2' }, { limit: 2, offset: 2 }, 5, []);
    assert.deepEqual(page, { count: 5, next: 'http://r.test/api/organizations/?limit=2&offset=4', previous: 'http://r.test/api/organizations/?limit=2', results: [] });
  });
});
