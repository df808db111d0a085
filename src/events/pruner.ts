// Retention (ROSTER_EVENTS_RETENTION_PERIOD): events older than the window leave the outbox, and
// delivered webhook deliveries the log. The 'pruned' position it leaves behind is what makes a
// feed cursor from before the window a clear 410 (domain/event-feed.ts). Any process may prune:
// each batch is one transaction, and a batch already deleted by another process deletes nothing.
import type { Kysely } from 'kysely';
import { PollingLoop } from '../app/polling-loop.ts';
import { pruneEvents } from '../store/events.ts';
import type { Database } from '../store/schema.ts';
import { pruneDeliveries } from '../store/webhooks.ts';
import type { Logger } from './deliverer.ts';

const BATCH = 1000;

export class EventPruner {
  private readonly loop: PollingLoop;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly retentionMs: number,
    private readonly log: Logger,
    pollMs = 60_000,
  ) {
    this.loop = new PollingLoop(() => this.prune(), pollMs);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async prune(): Promise<void> {
    try {
      const before = new Date(Date.now() - this.retentionMs).toISOString();
      while (!this.loop.stopped && (await pruneEvents(this.db, before, BATCH)) === BATCH);
      await pruneDeliveries(this.db, before);
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message } }, 'events: cannot prune the outbox');
    }
  }
}
