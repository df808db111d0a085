// Opens PostgreSQL as a Store: a pool that survives connection losses, prepared statements.
// Loaded only for a postgres: URL (store/db.ts), with pg.
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Store, StoreOptions } from './store.ts';
import { openPgPool, unavailableOnConnect } from './pg-pool.ts';
import { preparedStatementPool } from './pg-prepared.ts';
import type { Database } from './schema.ts';

// PostgreSQL count(*) and bigint arrive as strings; every id and count here fits a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export function openPgStore(url: string, { poolSize = 10, preparedStatements = true, connectTimeoutMs = 5000 }: StoreOptions): Store {
  // Connection losses are survived there (store/pg-pool.ts); requests see them as 503.
  const pool = openPgPool(url, { max: poolSize, connectTimeoutMs });
  const kyselyPool = unavailableOnConnect(preparedStatements ? preparedStatementPool(pool) : pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPool }) });
  const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  return { db, dialect: 'postgres', close: () => db.destroy(), poolStats };
}
