// While one request computes a fresh answer for a memoized list read, the requests arriving
// meanwhile get the previous answer instead of waiting; never after a write, and never one older
// than twice the memo's lifetime. A bare Fastify app with a handler the test holds open.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { ResponseMemo } from '../../src/http/memo/response-memo.ts';
import { TTL_MS } from '../../src/http/memo/expiring-memo.ts';
import type { Principal } from '../../src/domain/principal.ts';

const caller: Principal = { kind: 'user', userId: 1, serviceAccountId: null, tokenId: null, login: 'a', orgId: 1, role: 'Admin', isServerAdmin: true };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function app() {
  const memo = new ResponseMemo();
  const fastify = Fastify();
  fastify.decorateRequest('principal', null as unknown as Principal);
  fastify.addHook('onRequest', (req, _reply, done) => {
    req.principal = caller;
    done();
  });
  memo.register(fastify);
  let version = 0;
  let gate: Promise<void> = Promise.resolve();
  fastify.get('/list', { config: { memoize: true } }, async () => {
    const v = ++version;
    await gate;
    return { v };
  });
  await fastify.ready();
  const get = async () => (await fastify.inject({ method: 'GET', url: '/list' })).json().v as number;
  const hold = () => {
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    return () => open();
  };
  /** Asked for twice, so the second answer is kept (the first of a key never is). */
  const primed = async () => {
    assert.deepEqual([await get(), await get()], [1, 2]);
  };
  return { memo, fastify, get, hold, primed };
}

describe('response memo while an answer is recomputed', { timeout: 20_000 }, () => {
  it('keeps an answer from the second time its key is computed, not the first', async () => {
    const { fastify, get } = await app();
    assert.deepEqual([await get(), await get(), await get()], [1, 2, 2]);
    await fastify.close();
  });

  it('requests arriving meanwhile get the previous answer; the computing one gets the fresh one', async () => {
    const { fastify, get, hold, primed } = await app();
    await primed();
    await pause(TTL_MS + 50);
    const release = hold();
    const computing = get(); // computes version 3, held open
    await pause(20);
    assert.equal(await Promise.race([get(), pause(500).then(() => 'still waiting')]), 2, 'the previous answer, at once');
    release();
    assert.equal(await computing, 3);
    assert.equal(await get(), 3);
    await fastify.close();
  });

  it('after a write (invalidate) nobody gets the previous answer: they wait for the fresh one', async () => {
    const { memo, fastify, get, hold, primed } = await app();
    await primed();
    memo.invalidate();
    const release = hold();
    const computing = get();
    await pause(20);
    const waiting = get();
    const first = await Promise.race([waiting, pause(50).then(() => 'still waiting')]);
    assert.equal(first, 'still waiting');
    release();
    assert.deepEqual([await computing, await waiting], [3, 3]);
    await fastify.close();
  });

  it('the previous answer is never older than twice the lifetime', async () => {
    const { fastify, get, hold, primed } = await app();
    await primed();
    await pause(2 * TTL_MS + 50);
    const release = hold();
    const computing = get();
    await pause(20);
    const waiting = get();
    assert.equal(await Promise.race([waiting, pause(50).then(() => 'still waiting')]), 'still waiting');
    release();
    assert.deepEqual([await computing, await waiting], [3, 3]);
    await fastify.close();
  });
});
