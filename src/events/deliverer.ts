// Posts queued deliveries to their endpoints (docs/events.md). Every server process runs one;
// they share the work through the database: a delivery is claimed under a lease (SKIP LOCKED on
// PostgreSQL), posted, then marked delivered. At least once: a process that dies after the
// receiver answered but before the mark leaves the delivery to be posted again once the lease
// runs out. In order per endpoint: only an endpoint's oldest undelivered delivery is claimable.
// Each endpoint has at most one request in flight, each request has a timeout, and up to
// `maxInFlight` endpoints are served at once, so a slow receiver holds up only its own queue.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Webhook as Signer } from 'standardwebhooks';
import { PollingLoop } from '../app/polling-loop.ts';
import type { SecretBox } from '../domain/secret-box.ts';
import { checkWebhookUrl } from '../domain/webhook-url.ts';
import { disableFailingWebhook } from '../domain/webhook-failures.ts';
import type { Dialect } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import { anyDeliveryDue, claimDueDeliveries, updateClaimedDelivery, updateWebhook, type ClaimedDelivery } from '../store/webhooks.ts';
import { fanOut } from './fanout.ts';

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
}

const DEFAULTS: Required<DelivererOptions> = {
  pollMs: 250,
  retryBaseMs: 5_000,
  maxBackoffMs: 3_600_000,
  failureWindowMs: 86_400_000,
  timeoutMs: 10_000,
  maxInFlight: 32,
  leaseMs: 60_000,
};

export interface Logger {
  warn(obj: object, msg: string): void;
}

export class WebhookDeliverer {
  private readonly opts: Required<DelivererOptions>;
  private readonly loop: PollingLoop;
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

  /** Stops; requests in flight are abandoned as a crash would, their claims left to run out. */
  async stop(): Promise<void> {
    for (const r of this.inFlight.values()) r.abort.abort();
    await this.loop.stop();
    await Promise.all([...this.inFlight.values()].map((r) => r.done));
  }

  private async drain(): Promise<void> {
    try {
      while (!this.loop.stopped && (await fanOut(this.db, this.dialect)));
      while (!this.loop.stopped) {
        const free = this.opts.maxInFlight - this.inFlight.size;
        if (free <= 0) return;
        const claimed = await this.claim(free);
        for (const d of claimed) this.post(d.row, d.token);
        if (claimed.length < free) return;
      }
    } catch (err) {
      // The database is unreachable or busy: the next poll tries again.
      this.log.warn({ err: { message: (err as Error).message } }, 'webhooks: cannot read the delivery queue');
    }
  }

  private async claim(n: number): Promise<{ row: ClaimedDelivery; token: string }[]> {
    const now = new Date();
    const at = now.toISOString();
    if (!(await anyDeliveryDue(this.db, at))) return [];
    const token = randomUUID();
    const rows = await claimDueDeliveries(this.db, this.dialect, at, new Date(now.getTime() + this.opts.leaseMs).toISOString(), token, n);
    return rows.map((row) => ({ row, token }));
  }

  /** Posts one delivery in the background; when it ends, the loop looks for the endpoint's next. */
  private post(d: ClaimedDelivery, token: string): void {
    const abort = new AbortController();
    const done = this.attempt(d, token, abort.signal)
      .catch((err) => this.log.warn({ deliveryId: d.id, err: { message: (err as Error).message } }, 'webhooks: cannot record a delivery'))
      .finally(() => {
        this.inFlight.delete(d.id);
        this.nudge();
      });
    this.inFlight.set(d.id, { abort, done });
  }

  private async attempt(d: ClaimedDelivery, token: string, stopped: AbortSignal): Promise<void> {
    const started = new Date();
    let status: number | null = null;
    let error: string | null = null;
    try {
      if (!this.allowPrivate) await checkWebhookUrl(d.url, false);
      const msgId = String(d.event_id);
      const signature = new Signer(this.secretBox.open(d.secret)).sign(msgId, started, d.payload);
      const res = await fetch(d.url, {
        method: 'POST',
        body: d.payload,
        redirect: 'manual',
        signal: AbortSignal.any([stopped, AbortSignal.timeout(this.opts.timeoutMs)]),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Roster-Webhooks',
          'webhook-id': msgId,
          'webhook-timestamp': String(Math.floor(started.getTime() / 1000)),
          'webhook-signature': signature,
        },
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (err) {
      error = (err as Error).name === 'TimeoutError' ? `no answer within ${this.opts.timeoutMs} ms` : String((err as Error).message ?? err).slice(0, 300);
    }
    // Stopped mid-request: left claimed, as a crash would leave it.
    if (stopped.aborted) return;
    const at = new Date().toISOString();
    if (error === null) {
      await this.db.transaction().execute(async (trx) => {
        if (
          !(await updateClaimedDelivery(trx, d.id, token, {
            delivered_at: at,
            last_attempt_at: at,
            last_status: status,
            last_error: null,
            attempts: d.attempts + 1,
            claimed_until: null,
            claim_token: null,
          }))
        )
          return;
        await trx.updateTable('webhooks').set({ failing_since: null }).where('id', '=', d.webhook_id).where('failing_since', 'is not', null).execute();
      });
      return;
    }
    const attempts = d.attempts + 1;
    const delay = Math.min(this.opts.maxBackoffMs, this.opts.retryBaseMs * 2 ** Math.min(attempts - 1, 30));
    await this.db.transaction().execute(async (trx) => {
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
    });
    this.log.warn({ deliveryId: d.id, webhookId: d.webhook_id, attempts, error }, 'webhooks: delivery failed, will retry');
  }
}
