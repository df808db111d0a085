// Route schemas compile at first use (http/lazy-compilers.ts): every schema of the whole server
// still compiles under Ajv's strict mode, a schema it refuses is still found (by compileAll, not
// at start), and a lazily compiled validator still refuses bad input with its errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { LazyCompilers } from '../../src/http/lazy-compilers.ts';

describe('route schemas compiled at first use', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('every schema of every route compiles', async () => {
    // A request compiles its route's schemas first.
    assert.equal((await t.request('GET', '/api/org', t.admin)).status, 200);
    const compiled = t.roster.compileSchemas();
    assert.ok(compiled > 200, `${compiled} schemas compiled`);
    assert.equal(t.roster.compileSchemas(), 0, 'nothing left');
  });

  it('a lazily compiled validator refuses bad input as before', async () => {
    const r = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 42 } });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.message, 'bad request data');
    assert.equal((await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Lazily validated' } })).status, 200);
  });

  it('a schema strict mode refuses is not compiled at start, and compileAll finds it', async () => {
    const compilers = new LazyCompilers();
    const app = Fastify({ ajv: { customOptions: { strict: true } }, schemaController: { compilersFactory: { buildValidator: compilers.validators() } } });
    app.post('/x', { schema: { body: { type: 'object', notAKeyword: true } } }, async () => ({}));
    await app.ready();
    assert.throws(() => compilers.compileAll(), /notAKeyword/);
    await app.close();
  });
});
