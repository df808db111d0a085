// The database as the server's settings describe it.
import type { Config } from '../config.ts';
import { openStore, type Store } from './db.ts';

/** The database as configured (pool size, prepared statements), its schema not yet migrated. */
export function openConfiguredStore(config: Config): Promise<Store> {
  return openStore(config.databaseUrl, { poolSize: config.dbPoolSize, preparedStatements: config.dbPreparedStatements, connectTimeoutMs: config.dbConnectTimeout });
}
