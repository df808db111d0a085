// Every route is documented: the OpenAPI document lists it with a summary.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('OpenAPI document', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('is OpenAPI 3.1 and every operation has a summary', async () => {
    const r = await t.request('GET', '/api/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    const missing: string[] = [];
    let count = 0;
    for (const [path, ops] of Object.entries<Record<string, { summary?: string }>>(r.body.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        count++;
        if (!op.summary) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(count > 40, `documents ${count} operations`);
  });

  it('documents every registered route', async () => {
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries<object>(doc.paths)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const routes = t.roster.app.printRoutes({ commonPrefix: false });
    assert.ok(routes.length > 0);
    for (const probe of ['GET /api/org', 'PATCH /api/orgs/:orgId/users/:userId', 'POST /api/admin/users', 'GET /api/users/lookup']) {
      assert.ok(documented.has(probe), probe);
    }
  });
});
