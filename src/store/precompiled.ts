// Hot-path queries built and compiled once, then run with fresh parameters.
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.ts';

type Build<A extends unknown[], R> = (db: Kysely<Database>, ...args: A) => Compilable<R>;

/**
 * Kysely builds and compiles a query on every call, which for a primary-key read costs about as
 * much as the database's own work. `build` runs once per database (a Kysely instance and its
 * transactions share a dialect adapter) with marker arguments; every argument must reach the
 * SQL as a bound parameter, and nothing else may (write constants with sql.lit), which is
 * checked when the query is compiled.
 */
function compiledOnce<A extends unknown[], R>(build: Build<A, R>) {
  const compiled = new WeakMap<object, { query: CompiledQuery<R>; slots: number[] }>();
  return async (db: Kysely<Database>, args: A): Promise<QueryResult<R>> => {
    // getExecutor() is marked internal in Kysely's types; the adapter it names is created once
    // per Kysely instance and handed to each of its transactions.
    const database = db.getExecutor().adapter;
    let entry = compiled.get(database);
    if (!entry) {
      const markers = args.map(() => ({}));
      const query = build(db, ...(markers as A)).compile();
      const slots = markers.map((m) => query.parameters.indexOf(m));
      if (slots.includes(-1) || query.parameters.length !== markers.length) throw new Error('precompiled: every argument must be one bound parameter');
      entry = { query, slots };
      compiled.set(database, entry);
    }
    const parameters = [...entry.query.parameters];
    entry.slots.forEach((slot, i) => (parameters[slot] = args[i]));
    return db.executeQuery<R>({ ...entry.query, parameters } as CompiledQuery<R>);
  };
}

/** A precompiled query answering rows. */
export function precompiled<A extends unknown[], R>(build: Build<A, R>) {
  const run = compiledOnce(build);
  return async (db: Kysely<Database>, ...args: A): Promise<R[]> => (await run(db, args)).rows;
}

/** A precompiled insert, update or delete answering how many rows it changed. */
export function precompiledChange<A extends unknown[]>(build: Build<A, unknown>) {
  const run = compiledOnce(build);
  return async (db: Kysely<Database>, ...args: A): Promise<number> => Number((await run(db, args)).numAffectedRows ?? 0);
}
