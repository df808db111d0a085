// Opens SQLite or PostgreSQL from one URL; everything above this file speaks Kysely only.
import type { Store, StoreOptions } from './store.ts';

export type { Db, Dialect, Store, StoreOptions } from './store.ts';

/**
 * Opens the database `url` names. Each driver's module (store/sqlite-store.ts, store/pg-store.ts)
 * is loaded only when its database is used: a SQLite server never loads pg, nor PostgreSQL
 * better-sqlite3 (both count in the time to the first answer, bench/cold-start.mjs).
 */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  if (url.startsWith('sqlite:')) return (await import('./sqlite-store.ts')).openSqliteStore(url.slice('sqlite:'.length));
  return (await import('./pg-store.ts')).openPgStore(url, options);
}
