// The outbox: mail is a row written in the transaction of the change that causes it, so a
// change is never committed without its mail nor its mail sent without the change. A worker in
// each server process claims due rows with a lease, sends them and marks them sent; failures
// are retried with exponential backoff. Delivery is at least once: a process that dies after the
// SMTP server took a message but before marking it sent leaves it to be sent again.
import { randomUUID } from 'node:crypto';
import type { Kysely, Updateable } from 'kysely';
import type { Db, Dialect } from '../store/db.ts';
import { anyMailDue, claimDueMail, insertMail, updateClaimedMail, type ClaimedMail } from '../store/mail-outbox.ts';
import type { Database, MailOutboxTable } from '../store/schema.ts';
import { PollingLoop } from '../app/polling-loop.ts';
import { SendError, type MailTransport, type Message } from './transport.ts';

/** Queues a message in the caller's transaction. */
export async function enqueueMail(trx: Db, message: Message): Promise<void> {
  await insertMail(trx, message, new Date().toISOString());
}

export interface OutboxOptions {
  /** How often the worker looks for due rows written by other processes (or retries). */
  pollMs?: number;
  /** Delay before the first retry; doubled each attempt up to MAX_BACKOFF_MS. */
  retryBaseMs?: number;
  /** Attempts before a message is given up. */
  maxAttempts?: number;
  /** How long a claim holds a row; past it another process may take the row. */
  leaseMs?: number;
}

const DEFAULTS: Required<OutboxOptions> = { pollMs: 2_000, retryBaseMs: 30_000, maxAttempts: 12, leaseMs: 120_000 };
const MAX_BACKOFF_MS = 3_600_000;
const BATCH = 10;

export interface Logger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export class OutboxWorker {
  private readonly opts: Required<OutboxOptions>;
  private readonly loop: PollingLoop;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly transport: MailTransport,
    private readonly log: Logger,
    opts: OutboxOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    this.loop = new PollingLoop(() => this.drain(), this.opts.pollMs);
  }

  /** Sends what is due now (rows left by a crash included), then keeps polling. */
  start(): void {
    this.loop.start();
  }

  /** Looks for due rows now: called after this process queued mail. */
  nudge(): void {
    this.loop.nudge();
  }

  /** Stops polling and waits for the message being sent; unsent rows stay for the next start. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.transport.close();
  }

  private async drain(): Promise<void> {
    try {
      while (!this.loop.stopped) {
        const token = randomUUID();
        const rows = await this.claim(token);
        if (!rows.length) return;
        for (const [i, row] of rows.entries()) {
          // Stopping: the rows claimed but not reached are handed back at once, not left for
          // their lease to run out (the next process to start would otherwise wait for it).
          if (this.loop.stopped) return await this.release(rows.slice(i), token);
          await this.deliver(row, token);
        }
      }
    } catch (err) {
      // The database is unreachable or busy: the next poll tries again.
      this.log.warn({ err: { message: (err as Error).message } }, 'mail outbox: cannot read the outbox');
    }
  }

  /** Takes up to BATCH due rows for this worker (store/mail-outbox.ts claimDueMail). */
  private async claim(token: string): Promise<ClaimedMail[]> {
    const now = new Date();
    const at = now.toISOString();
    // Most polls find nothing: a plain read then, so idle processes take no write lock (on
    // SQLite every worker of a cluster shares the file's single writer).
    if (!(await anyMailDue(this.db, at))) return [];
    const until = new Date(now.getTime() + this.opts.leaseMs).toISOString();
    return claimDueMail(this.db, this.dialect, at, until, token, BATCH);
  }

  private async release(rows: ClaimedMail[], token: string): Promise<void> {
    for (const row of rows) await updateClaimedMail(this.db, row.id, token, { claimed_until: null, claim_token: null });
  }

  private async deliver(row: ClaimedMail, token: string): Promise<void> {
    // Only while the claim is ours: a lease that ran out may have passed the row to another worker.
    const mine = (set: Updateable<MailOutboxTable>) => updateClaimedMail(this.db, row.id, token, set);
    try {
      await this.transport.send({ to: row.to_address, subject: row.subject, text: row.body });
    } catch (err) {
      const e = err instanceof SendError ? err : new SendError(String((err as Error)?.message ?? err), false);
      const attempts = row.attempts + 1;
      const giveUp = e.permanent || attempts >= this.opts.maxAttempts;
      const at = new Date();
      const delay = Math.min(MAX_BACKOFF_MS, this.opts.retryBaseMs * 2 ** (attempts - 1));
      await mine({
        attempts,
        last_error: e.message,
        claimed_until: null,
        claim_token: null,
        next_attempt_at: new Date(at.getTime() + delay).toISOString(),
        ...(giveUp ? { failed_at: at.toISOString(), body: '' } : {}),
      });
      this.log.warn({ mailId: row.id, attempts, error: e.message }, giveUp ? 'mail outbox: message given up' : 'mail outbox: send failed, will retry');
      return;
    }
    await mine({ sent_at: new Date().toISOString(), attempts: row.attempts + 1, body: '', claimed_until: null, claim_token: null, last_error: null });
    this.log.info({ mailId: row.id }, 'mail outbox: message sent');
  }
}
