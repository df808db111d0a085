// Opens PostgreSQL as a Store: a pool that survives connection losses, prepared statements.
// Loaded only for a postgres: URL (store/db.ts), with pg.
import './node-navigator.ts';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Store, StoreOptions } from './store.ts';
import { openPgPool, unavailableOnConnect } from './pg-pool.ts';
import { preparedStatementPool } from './pg-prepared.ts';
import type { Database } from './schema.ts';

// PostgreSQL count(*) and bigint arrive as strings; every id and count here fits a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Connections of the background workers' own pool (the webhook deliverer, the mail outbox, the
 * event pruner): a few short statements at a time, claims and marks.
 */
const BACKGROUND_POOL_SIZE = 3;

export function openPgStore(url: string, { poolSize = 10, preparedStatements = true, connectTimeoutMs = 5000 }: StoreOptions): Store {
  // Connection losses are survived there (store/pg-pool.ts); requests see them as 503.
  const open = (max: number) => {
    const pool = openPgPool(url, { max, connectTimeoutMs });
    const kyselyPool = unavailableOnConnect(preparedStatements ? preparedStatementPool(pool) : pool);
    return { pool, db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPool }) }) };
  };
  const requests = open(poolSize);
  // Apart from the requests' pool: behind 50 busy writers, each of a delivery cycle's statements
  // waited its turn for a connection, and deliveries fell seconds behind the writes.
  const background = open(BACKGROUND_POOL_SIZE);
  const { pool, db } = requests;
  const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  return {
    db,
    background: background.db,
    dialect: 'postgres',
    close: async () => {
      await Promise.all([db.destroy(), background.db.destroy()]);
    },
    poolStats,
  };
}
