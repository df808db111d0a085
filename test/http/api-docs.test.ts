// The API reference at /api/docs: an HTML page rendered from the OpenAPI document, listing its
// operations by tag, with nothing loaded from elsewhere, and itself left out of the document.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('API reference /api/docs', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('serves an HTML page listing every operation of /api/openapi.json', async () => {
    const r = await t.request('GET', '/api/docs');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    let ops = 0;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        ops++;
        assert.ok(r.text.includes(`${method} ${path} ${op.summary ?? ''}`.toLowerCase().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')), `${method} ${path}`);
      }
    }
    assert.equal((r.text.match(/class="op"/g) ?? []).length, ops);
    assert.match(r.text, /<h2>grafana: organizations<\/h2>/);
    assert.match(r.text, /GET<\/span> <code>\/api\/org<\/code>/);
  });

  it('loads nothing from another origin and is not in the OpenAPI document', async () => {
    const r = await t.request('GET', '/api/docs');
    assert.doesNotMatch(r.text, /(src|href)="(https?:)?\/\//);
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    assert.equal(doc.paths['/api/docs'], undefined);
    assert.equal(doc.paths['/api/openapi.json'], undefined);
  });
});
