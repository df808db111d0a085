// The sender thread (events/run-sender.ts, events/sender-thread.ts) against a real receiver: a run
// goes out in order and stops at its first failure; a stop mid-run abandons the run as a crash
// would (no outcome, so its claims run out); a thread that is gone is replaced by the next run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { RunSender, type RunRequest } from '../../src/events/run-sender.ts';
import { eventually, startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

const SECRET = 'whsec_' + Buffer.from('a-test-secret-of-32-bytes-length').toString('base64');

describe('webhook sender thread', () => {
  let receiver: Receiver;
  let sender: RunSender;
  before(async () => {
    receiver = await startReceiver();
    sender = new RunSender();
  });
  after(async () => {
    await sender.close();
    await receiver.close();
  });

  const run = (ids: number[], path = '/hook'): Omit<RunRequest, 'id'> => ({
    secret: SECRET,
    allowPrivate: true,
    timeoutMs: 5_000,
    lastStart: Date.now() + 60_000,
    leaseEnds: Date.now() + 65_000,
    deliveries: ids.map((id) => ({ id, eventId: 1000 + id, webhookId: 1, url: receiver.url(path), payload: JSON.stringify({ n: id }) })),
  });

  it('posts a run signed, in order, and stops at the first failure', async () => {
    receiver.received.length = 0;
    receiver.answer = (r) => (JSON.parse(r.body).n === 3 ? 500 : 204);
    const outcome = await sender.send(run([1, 2, 3, 4]), new AbortController().signal);
    assert.deepEqual(outcome, {
      delivered: [
        { id: 1, status: 204 },
        { id: 2, status: 204 },
      ],
      failed: { id: 3, status: 500, error: 'HTTP 500' },
    });
    assert.deepEqual(
      receiver.received.map((r) => JSON.parse(r.body).n),
      [1, 2, 3],
    );
    const verifier = new Webhook(SECRET);
    for (const r of receiver.received) verifier.verify(r.body, r.headers as Record<string, string>);
    assert.equal(receiver.received[0].headers['webhook-id'], '1001');
  });

  it('a run whose lease has run out by the time the thread has it posts nothing', async () => {
    receiver.received.length = 0;
    receiver.answer = () => 200;
    const late = { ...run([9, 10]), lastStart: Date.now() - 2_000, leaseEnds: Date.now() - 1 };
    assert.deepEqual(await sender.send(late, new AbortController().signal), { delivered: [] });
    assert.equal(receiver.received.length, 0);
  });

  it('a run stopped mid-way has no outcome; after the thread is closed, the next run starts another', async () => {
    receiver.received.length = 0;
    receiver.answer = () => 'hang';
    const stop = new AbortController();
    const hanging = sender.send(run([5, 6]), stop.signal);
    await eventually('the first request arrived', () => receiver.received.length === 1);
    stop.abort();
    assert.equal(await hanging, 'aborted');

    const abandoned = sender.send(run([7]), new AbortController().signal);
    await eventually('the request arrived', () => receiver.received.length === 2);
    await sender.close();
    await assert.rejects(abandoned, /stopped/);

    receiver.answer = () => 200;
    assert.deepEqual(await sender.send(run([8]), new AbortController().signal), { delivered: [{ id: 8, status: 200 }] });
  });
});
