// Every route is documented: each route the Fastify app registers is an operation of
// /api/openapi.json with a summary, or one of the few routes that are deliberately not API
// operations (listed below, each checked to be what it claims).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { CONSOLE_DIR } from '../../src/http/console.ts';

// Registered on purpose but not in the document, with why. Keep this short: a new API route
// belongs in the document, not here.
const NOT_OPERATIONS: Record<string, string> = {
  'GET /api/openapi.json': 'the document itself',
  'GET /api/docs': "the document's HTML rendering",
};

/** `GET /assets/x.js`-style routes @fastify/static registers for each built console file. */
function consoleFileRoutes(): Set<string> {
  const out = new Set<string>();
  if (!existsSync(CONSOLE_DIR)) return out;
  for (const entry of readdirSync(CONSOLE_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const url = '/' + relative(CONSOLE_DIR, join(entry.parentPath, entry.name)).split('\\').join('/');
    out.add(`GET ${url}`).add(`HEAD ${url}`);
  }
  return out;
}

describe('OpenAPI document', () => {
  let t: TestRoster;
  let doc: { openapi: string; paths: Record<string, Record<string, { summary?: string }>> };
  before(async () => {
    t = await startRoster();
    const r = await t.request('GET', '/api/openapi.json');
    assert.equal(r.status, 200);
    doc = r.body;
  });
  after(() => t.close());

  it('is OpenAPI 3.1 and every operation has a summary', () => {
    assert.equal(doc.openapi, '3.1.0');
    const missing: string[] = [];
    let count = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        count++;
        if (!op.summary) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(count > 100, `documents ${count} operations`);
  });

  it('documents every registered route', async () => {
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const registered = new Set(t.roster.routes);
    assert.ok(registered.size > 150, `${registered.size} routes registered`);
    const staticFiles = consoleFileRoutes();
    const undocumented: string[] = [];
    const methodNotAllowed: string[] = [];
    for (const route of registered) {
      if (documented.has(route) || route in NOT_OPERATIONS || staticFiles.has(route)) continue;
      const [method, url] = route.split(' ');
      // Fastify's implicit HEAD of a GET route: answered by the GET's handler, documented with it.
      if (method === 'HEAD' && registered.has(`GET ${url}`)) continue;
      // The methods a path lacks (OnCall's DRF views, PostHog's): routes that only answer 405,
      // and OnCall's OPTIONS (DRF metadata). Checked below to be just that.
      if (url.startsWith('/api/v1/') || url.startsWith('/api/organizations')) methodNotAllowed.push(route);
      else undocumented.push(route);
    }
    assert.deepEqual(undocumented, []);
    assert.ok(methodNotAllowed.length > 20);

    // Real ids, so that the 405 comes from the route, not from a missing object.
    const org = (await t.request('GET', '/api/organizations/', t.admin)).body.results[0].id as string;
    const me = (await t.request('GET', '/api/users/@me/', t.admin)).body.uuid as string;
    const values: Record<string, string> = { id: org, organization_id: org, user_uuid: me };
    for (const route of methodNotAllowed) {
      const [method, pattern] = route.split(' ');
      const url = pattern.replace(/:(\w+)/g, (_, name) => values[name] ?? '00000000-0000-4000-8000-000000000000');
      const r = await t.request(method, url, { ...t.admin, body: ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined });
      if (method === 'OPTIONS') {
        assert.equal(r.status, 200, route);
        assert.deepEqual(Object.keys(r.body), ['name', 'description', 'renders', 'parses'], route);
      } else {
        assert.equal(r.status, 405, `${route}: ${r.text}`);
      }
    }
  });
});
