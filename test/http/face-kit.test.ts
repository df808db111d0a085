// The face kit's error handler (src/http/face/error-handler.ts): each kind of failure reaches the
// face renderer's matching entry, which decides status, headers and body; the database being
// unavailable is 503 with Retry-After in the face's body, anything else a 500 in it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { notFound } from '../../src/domain/errors.ts';
import { StoreUnavailable } from '../../src/store/unavailable.ts';
import { sendError } from '../../src/http/face/error-handler.ts';
import type { ErrorRenderer } from '../../src/http/face/face.ts';

class OwnError extends Error {}

/** Names the entry that rendered each answer, so a misrouted error shows in the body. */
const renderer: ErrorRenderer = {
  own: (err) => (err instanceof OwnError ? { status: 418, headers: { 'x-own': '1' }, body: { by: 'own' } } : undefined),
  domain: (err) => ({ status: 404, body: { by: 'domain', code: err.code } }),
  validation: (err) => ({ status: 400, body: { by: 'validation', path: err.validation[0]?.instancePath } }),
  request: (fault, err) => ({ status: err.statusCode ?? 400, body: { by: 'request', fault } }),
  unavailable: (requestId) => ({ by: 'unavailable', requestId }),
  internal: () => ({ by: 'internal' }),
};

const fastifyError = (code: string | undefined, statusCode: number) => Object.assign(new Error(code ?? 'refused'), { code, statusCode });

describe('face kit error handler', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify({ logger: false, bodyLimit: 64 });
    app.setErrorHandler((err, req, reply) => sendError(renderer, req, reply, err));
    const throwing: Record<string, () => unknown> = {
      own: () => new OwnError('own'),
      domain: () => notFound('thing.not-found'),
      json: () => fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400),
      other4xx: () => fastifyError('FST_ERR_SOMETHING_ELSE', 405),
      unavailable: () => new StoreUnavailable('database away', 7),
      bug: () => new TypeError('a bug'),
    };
    for (const [name, make] of Object.entries(throwing)) {
      app.get(`/${name}`, async () => {
        throw make();
      });
    }
    app.post('/typed', { schema: { body: { type: 'object', properties: { n: { type: 'integer' } } } } }, async () => ({ ok: true }));
    await app.ready();
  });
  after(() => app.close());

  it("the face's own errors first, with their headers", async () => {
    const r = await app.inject({ method: 'GET', url: '/own' });
    assert.equal(r.statusCode, 418);
    assert.equal(r.headers['x-own'], '1');
    assert.deepEqual(r.json(), { by: 'own' });
  });

  it('domain errors', async () => {
    const r = await app.inject({ method: 'GET', url: '/domain' });
    assert.deepEqual([r.statusCode, r.json()], [404, { by: 'domain', code: 'thing.not-found' }]);
  });

  it("schema failures go to the validation renderer with Fastify's validation details", async () => {
    const r = await app.inject({ method: 'POST', url: '/typed', payload: { n: 'x' } });
    assert.deepEqual([r.statusCode, r.json()], [400, { by: 'validation', path: '/n' }]);
  });

  it('requests refused before the handler, by fault', async () => {
    const tooLarge = await app.inject({ method: 'POST', url: '/typed', payload: { n: 1, pad: 'x'.repeat(100) } });
    assert.deepEqual([tooLarge.statusCode, tooLarge.json()], [413, { by: 'request', fault: 'too-large' }]);
    const media = await app.inject({ method: 'POST', url: '/typed', headers: { 'content-type': 'application/x-unknown' }, payload: 'x' });
    assert.deepEqual([media.statusCode, media.json()], [415, { by: 'request', fault: 'media-type' }]);
    const json = await app.inject({ method: 'GET', url: '/json' });
    assert.deepEqual([json.statusCode, json.json()], [400, { by: 'request', fault: 'malformed-json' }]);
    const other = await app.inject({ method: 'GET', url: '/other4xx' });
    assert.deepEqual([other.statusCode, other.json()], [405, { by: 'request', fault: 'bad-request' }]);
  });

  it('the database unavailable: 503 with Retry-After, the body from the face', async () => {
    const r = await app.inject({ method: 'GET', url: '/unavailable' });
    assert.equal(r.statusCode, 503);
    assert.equal(r.headers['retry-after'], '7');
    const body = r.json();
    assert.equal(body.by, 'unavailable');
    assert.match(String(body.requestId), /^req-/, 'the request id reaches the renderer');
  });

  it('anything else: 500 in the face body', async () => {
    const r = await app.inject({ method: 'GET', url: '/bug' });
    assert.deepEqual([r.statusCode, r.json()], [500, { by: 'internal' }]);
  });
});
