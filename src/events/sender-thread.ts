// The webhook sender's thread (events/run-sender.ts starts it): signs and posts the runs of
// deliveries the deliverer has claimed, one run per endpoint at a time, each in queue order,
// stopping at the first failure. It runs beside the request-serving thread so that a busy server
// neither slows its deliveries (a delivery waits for its answer before the next one of its
// endpoint goes, and on a saturated event loop every answer waits its turn behind the requests)
// nor spends its own thread's time on signing and HTTP.
import { parentPort } from 'node:worker_threads';
import { Webhook as Signer } from 'standardwebhooks';
import { checkWebhookUrl } from '../domain/webhook-url.ts';
import { EndpointAgents, type PostResult } from './post.ts';
import type { RunOutcome, RunRequest, SenderMessage, SenderReply } from './run-sender.ts';

const agents = new EndpointAgents();
const running = new Map<number, AbortController>();

/** One POST, signed per Standard Webhooks with the endpoint's secret. */
async function send(d: RunRequest['deliveries'][number], run: RunRequest, signer: Signer, stopped: AbortSignal): Promise<PostResult> {
  try {
    if (!run.allowPrivate) await checkWebhookUrl(d.url, false);
  } catch (err) {
    return { status: null, error: String((err as Error).message ?? err).slice(0, 300) };
  }
  const started = new Date();
  const msgId = String(d.eventId);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Roster-Webhooks',
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(started.getTime() / 1000)),
    'webhook-signature': signer.sign(msgId, started, d.payload),
  };
  return agents.post(d.webhookId, d.url, headers, d.payload, run.timeoutMs, stopped);
}

/** Posts the run in order; stops at the first failure, or before starting a request that could outlast the lease. */
async function postRun(run: RunRequest, stopped: AbortSignal): Promise<RunOutcome | 'aborted'> {
  const signer = new Signer(run.secret);
  const delivered: RunOutcome['delivered'] = [];
  for (const [i, d] of run.deliveries.entries()) {
    // The thread may get a run late (it was starting, or the machine is busy).
    if (Date.now() > (i === 0 ? run.leaseEnds : run.lastStart)) break;
    const { status, error } = await send(d, run, signer, stopped);
    if (stopped.aborted) return 'aborted';
    if (error !== null) return { delivered, failed: { id: d.id, status, error } };
    delivered.push({ id: d.id, status: status! });
  }
  return { delivered };
}

const port = parentPort!;
port.on('message', (m: SenderMessage) => {
  if (m.kind === 'abort') return void running.get(m.id)?.abort();
  const abort = new AbortController();
  running.set(m.run.id, abort);
  void postRun(m.run, abort.signal)
    .then(
      (outcome): SenderReply => ({ id: m.run.id, outcome }),
      (err: Error): SenderReply => ({ id: m.run.id, error: String(err?.message ?? err) }),
    )
    .then((reply) => {
      running.delete(m.run.id);
      port.postMessage(reply);
    });
});
