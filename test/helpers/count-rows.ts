// How many rows a table holds: what tests check to see that a refused request created nothing.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.ts';

export async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
