// Lists bound as parameters, split so that no statement passes a database's limit on bound
// parameters (PostgreSQL 65,535; SQLite 32,766): a SCIM PATCH may name thousands of members.

/** At most this many items of a list go into one statement. */
const BATCH = 1000;

/** `items` in slices of at most BATCH (none for an empty list). */
export function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}
