// Hot-path queries built and compiled once, then run with fresh parameters.
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Kysely builds and compiles a query on every call, which for a primary-key read costs about as
 * much as the database's own work. `build` runs once per Kysely instance (the server's, or a
 * transaction's) with marker arguments; every argument must reach the SQL as a bound parameter,
 * which is checked when the query is compiled.
 */
export function precompiled<A extends unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>) {
  const compiled = new WeakMap<Kysely<Database>, { query: CompiledQuery<R>; slots: number[] }>();
  return async (db: Kysely<Database>, ...args: A): Promise<R[]> => {
    let entry = compiled.get(db);
    if (!entry) {
      const markers = args.map(() => ({}));
      const query = build(db, ...(markers as A)).compile();
      const slots = markers.map((m) => query.parameters.indexOf(m));
      if (slots.includes(-1) || query.parameters.length !== markers.length) throw new Error('precompiled: every argument must be one bound parameter');
      entry = { query, slots };
      compiled.set(db, entry);
    }
    const parameters = [...entry.query.parameters];
    entry.slots.forEach((slot, i) => (parameters[slot] = args[i]));
    return (await db.executeQuery<R>({ ...entry.query, parameters } as CompiledQuery<R>)).rows;
  };
}
