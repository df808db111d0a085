// PostgreSQL: folds the user-gram deltas the users triggers append (migration 0021) into their
// counts, so a count reads few delta rows. Every process may fold: a fold is one statement, and
// rows folded by another process are skipped (store/user-grams.ts). SQLite has nothing to fold.
import type { Kysely } from 'kysely';
import type { Logger } from '../events/deliverer.ts';
import type { Database } from '../store/schema.ts';
import { foldGramDeltas } from '../store/user-grams.ts';
import { PollingLoop } from './polling-loop.ts';

/** The loop that folds every `pollMs`; a failed fold is logged and tried again at the next turn. */
export function gramFolder(db: Kysely<Database>, log: Logger, pollMs = 2_000): PollingLoop {
  return new PollingLoop(async () => {
    try {
      await foldGramDeltas(db);
    } catch (err) {
      log.warn({ err: { message: (err as Error).message } }, 'users: cannot fold the search counts');
    }
  }, pollMs);
}
