// PostgreSQL: folds the user-gram deltas the users triggers append (migration 0021) into their
// counts, so a count reads few delta rows. Every process may fold: a fold is one statement, and
// rows folded by another process are skipped (store/user-grams.ts). SQLite has nothing to fold.
import type { Kysely } from 'kysely';
import type { Logger } from '../events/deliverer.ts';
import type { Database } from '../store/schema.ts';
import { foldGramDeltas } from '../store/user-grams.ts';
import { PollingLoop } from './polling-loop.ts';

export class GramFolder {
  private readonly loop: PollingLoop;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    pollMs = 2_000,
  ) {
    this.loop = new PollingLoop(() => this.fold(), pollMs);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async fold(): Promise<void> {
    try {
      await foldGramDeltas(this.db);
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message } }, 'users: cannot fold the search counts');
    }
  }
}
