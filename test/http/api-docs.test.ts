// The API reference at /api/docs: Swagger UI, its files served from node_modules by this server
// (nothing from another origin, which its Content-Security-Policy also enforces), reading the
// same document as /api/openapi.json, and itself left out of the document.
// test/http/api-docs-browser.test.ts drives it in a browser.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('API reference /api/docs', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('is a Swagger UI page whose scripts and styles are all served here', async () => {
    const r = await t.request('GET', '/api/docs');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    assert.match(r.text, /<div id="swagger-ui">/);
    const assets = [...r.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(
      assets.some((a) => a.endsWith('/swagger-ui-bundle.js')),
      assets.join(' '),
    );
    assert.ok(
      assets.some((a) => a.endsWith('/swagger-ui.css')),
      assets.join(' '),
    );
    for (const asset of assets) {
      assert.match(asset, /^\/api\/docs\/static\//, `${asset} is served by Roster`);
      const file = await t.request('GET', asset);
      assert.equal(file.status, 200, asset);
      assert.ok(file.text.length > 0, asset);
    }
  });

  it('reads /api/openapi.json itself, and calls no outside validator', async () => {
    const init = await t.request('GET', '/api/docs/static/swagger-initializer.js');
    assert.equal(init.status, 200);
    assert.match(init.text, /url: resolveUrl\('\.\/json'\)/);
    assert.match(init.text, /validatorUrl: null/);
    const served = await t.request('GET', '/api/docs/json');
    assert.equal(served.status, 200);
    assert.deepEqual(served.body, (await t.request('GET', '/api/openapi.json')).body);
    // Swagger UI's plugin runs on an instance of its own (http/on-first-use.ts): the document it
    // hands out is still this server's, in YAML too, and a HEAD keeps the GET's length.
    const yaml = await t.request('GET', '/api/docs/yaml');
    assert.equal(yaml.status, 200);
    assert.match(yaml.text, /^openapi: 3\.1\.0$/m);
    assert.match(yaml.text, /^ {2}\/api\/org:$/m);
    const head = await t.request('HEAD', '/api/docs/static/swagger-initializer.js');
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers['content-length']), Buffer.byteLength(init.text));
    assert.equal(head.text, '');
  });

  it('lets the page load nothing from another origin', async () => {
    const r = await t.request('GET', '/api/docs');
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'self';/);
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /connect-src 'self' http:\/\/roster\.test;/);
    assert.doesNotMatch(r.text, /(src|href)="(https?:)?\/\//);
  });

  it('is not in the OpenAPI document', async () => {
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    assert.deepEqual(
      Object.keys(doc.paths).filter((p) => p.startsWith('/api/docs') || p === '/api/openapi.json'),
      [],
    );
  });
});
