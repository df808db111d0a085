// Posts queued deliveries to their endpoints (docs/events.md). Every server process runs one;
// they share the work through the database: an endpoint's run of queued deliveries (its head and
// those after it) is claimed under a lease in one statement (SKIP LOCKED on PostgreSQL), posted
// one after another in queue order by the sender thread (run-sender.ts), then marked delivered in
// one statement. At least once: a
// process that dies after the receiver answered but before the mark leaves the run to be posted
// again once the lease runs out. In order per endpoint: only an endpoint's head is contended, and
// a run stops at its first failure, which becomes the head again, retried with backoff. Each
// endpoint has at most one request in flight, each request has a timeout, a run stops starting
// requests before its lease could run out, and up to `maxInFlight` endpoints are served at once,
// so a slow receiver holds up only its own queue.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { PollingLoop } from '../app/polling-loop.ts';
import type { SecretBox } from '../domain/secret-box.ts';
import { disableFailingWebhook } from '../domain/webhook-failures.ts';
import type { Dialect } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import { anyDeliveryDue, claimDueRuns, markDelivered, releaseClaims, updateClaimedDelivery, updateWebhook, type ClaimedDelivery } from '../store/webhooks.ts';
import { fanOut } from './fanout.ts';
import { RunSender } from './run-sender.ts';

export interface DelivererOptions {
  /** How often to look for new events and due retries. */
  pollMs?: number;
  /** Delay before the first retry; doubled each attempt up to maxBackoffMs. */
  retryBaseMs?: number;
  maxBackoffMs?: number;
  /** An endpoint failing this long is disabled and its org's Admins are told. */
  failureWindowMs?: number;
  /** How long a receiver may take to answer. */
  timeoutMs?: number;
  /** Endpoints served at once by this process. */
  maxInFlight?: number;
  /** How long a claim holds a delivery; past it another process may take it (longer than timeoutMs). */
  leaseMs?: number;
  /** Most deliveries of one endpoint claimed, posted and marked together. */
  runLength?: number;
}

const DEFAULTS: Required<DelivererOptions> = {
  pollMs: 250,
  retryBaseMs: 5_000,
  maxBackoffMs: 3_600_000,
  failureWindowMs: 86_400_000,
  timeoutMs: 10_000,
  maxInFlight: 32,
  leaseMs: 60_000,
  runLength: 100,
};

/** How long a write's wake-up waits for others to join it. */
const SOON_MS = 5;

export interface Logger {
  warn(obj: object, msg: string): void;
}

export class WebhookDeliverer {
  private readonly opts: Required<DelivererOptions>;
  private readonly loop: PollingLoop;
  private readonly sender = new RunSender();
  private soonTimer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<number, { abort: AbortController; done: Promise<void> }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly secretBox: SecretBox,
    private readonly allowPrivate: boolean,
    private readonly log: Logger,
    opts: DelivererOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    this.loop = new PollingLoop(() => this.drain(), this.opts.pollMs);
  }

  start(): void {
    this.loop.start();
  }

  nudge(): void {
    this.loop.nudge();
  }

  /**
   * A write of this process has committed and may have queued change events: drains within
   * `SOON_MS`, once for a burst of writes, so that busy writers do not keep the loop spinning.
   */
  soon(): void {
    if (this.soonTimer || this.loop.stopped) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      this.nudge();
    }, SOON_MS);
    this.soonTimer.unref();
  }

  /** Stops; requests in flight are abandoned as a crash would, their claims left to run out. */
  async stop(): Promise<void> {
    clearTimeout(this.soonTimer);
    for (const r of this.inFlight.values()) r.abort.abort();
    await this.loop.stop();
    await Promise.all([...this.inFlight.values()].map((r) => r.done));
    await this.sender.close();
  }

  private async drain(): Promise<void> {
    try {
      while (!this.loop.stopped && (await fanOut(this.db, this.dialect)));
      while (!this.loop.stopped) {
        const free = this.opts.maxInFlight - this.inFlight.size;
        if (free <= 0) return;
        const runs = await this.claim(free);
        for (const r of runs) this.post(r.run, r.token, r.at);
        if (runs.length < free) return;
      }
    } catch (err) {
      // The database is unreachable or busy: the next poll tries again.
      this.log.warn({ err: { message: (err as Error).message } }, 'webhooks: cannot read the delivery queue');
    }
  }

  private async claim(n: number): Promise<{ run: ClaimedDelivery[]; token: string; at: number }[]> {
    const now = new Date();
    const at = now.toISOString();
    if (!(await anyDeliveryDue(this.db, at))) return [];
    const token = randomUUID();
    const runs = await claimDueRuns(this.db, this.dialect, at, new Date(now.getTime() + this.opts.leaseMs).toISOString(), token, n, this.opts.runLength);
    return runs.map((run) => ({ run, token, at: now.getTime() }));
  }

  /** Posts an endpoint's run in the background; when it ends, the loop looks for the endpoint's next. */
  private post(run: ClaimedDelivery[], token: string, claimedAt: number): void {
    const endpoint = run[0].webhook_id;
    const abort = new AbortController();
    const done = this.attemptRun(run, token, claimedAt, abort.signal)
      .catch((err) => this.log.warn({ webhookId: endpoint, err: { message: (err as Error).message } }, 'webhooks: cannot record a delivery'))
      .finally(() => {
        this.inFlight.delete(endpoint);
        this.nudge();
      });
    this.inFlight.set(endpoint, { abort, done });
  }

  private async attemptRun(run: ClaimedDelivery[], token: string, claimed: number, stopped: AbortSignal): Promise<void> {
    const outcome = await this.sender.send(
      {
        // A run is one endpoint's: one secret.
        secret: this.secretBox.open(run[0].secret),
        allowPrivate: this.allowPrivate,
        timeoutMs: this.opts.timeoutMs,
        // The last request must end before the lease does, or another process could post the same run.
        lastStart: claimed + this.opts.leaseMs - this.opts.timeoutMs,
        leaseEnds: claimed + this.opts.leaseMs,
        deliveries: run.map((d) => ({ id: d.id, eventId: d.event_id, webhookId: d.webhook_id, url: d.url, payload: d.payload })),
      },
      stopped,
    );
    // Stopped mid-run: left claimed, as a crash would leave it.
    if (outcome === 'aborted') return;
    const delivered = new Map<number, number[]>();
    for (const { id, status } of outcome.delivered) delivered.set(status, [...(delivered.get(status) ?? []), id]);
    const failed = outcome.failed && { d: run.find((d) => d.id === outcome.failed!.id)!, status: outcome.failed.status, error: outcome.failed.error };
    const at = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      let marked = 0;
      for (const [status, ids] of delivered) marked += await markDelivered(trx, token, ids, status, at);
      if (marked) await trx.updateTable('webhooks').set({ failing_since: null }).where('id', '=', run[0].webhook_id).where('failing_since', 'is not', null).execute();
      if (failed) await this.recordFailure(trx, failed.d, token, failed.status, failed.error, at);
      await releaseClaims(
        trx,
        token,
        run.map((d) => d.id),
      );
    });
    if (failed) this.log.warn({ deliveryId: failed.d.id, webhookId: failed.d.webhook_id, attempts: failed.d.attempts + 1, error: failed.error }, 'webhooks: delivery failed, will retry');
  }

  /** The failed head waits for its retry; an endpoint failing for the whole window is disabled. */
  private async recordFailure(trx: Transaction<Database>, d: ClaimedDelivery, token: string, status: number | null, error: string, at: string): Promise<void> {
    const attempts = d.attempts + 1;
    const delay = Math.min(this.opts.maxBackoffMs, this.opts.retryBaseMs * 2 ** Math.min(attempts - 1, 30));
    const mine = await updateClaimedDelivery(trx, d.id, token, {
      attempts,
      last_attempt_at: at,
      last_status: status,
      last_error: error,
      claimed_until: null,
      claim_token: null,
      next_attempt_at: new Date(Date.now() + delay).toISOString(),
    });
    if (!mine) return;
    const w = await trx.selectFrom('webhooks').select(['id', 'org_id', 'url', 'failing_since', 'enabled']).where('id', '=', d.webhook_id).executeTakeFirst();
    if (!w || !w.enabled) return;
    if (w.failing_since === null) await updateWebhook(trx, w.id, { failing_since: at });
    else if (Date.now() - Date.parse(w.failing_since) >= this.opts.failureWindowMs) await disableFailingWebhook(trx, { ...w, failing_since: w.failing_since }, error);
  }
}
