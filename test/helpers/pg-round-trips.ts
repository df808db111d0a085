// Counts the round trips and statements `pg` clients send while a function runs: a round trip
// starts whenever a query is sent while its connection has no answer pending (in pipeline mode,
// queries sent while others are in flight ride the same one; without it, each query waits for
// the one before).
import pg from 'pg';

export interface Observed {
  roundTrips: number;
  queries: string[];
}

/** Runs `f` while watching every pg.Client's queries. */
export async function observe(f: () => Promise<unknown>): Promise<Observed> {
  const seen: Observed = { roundTrips: 0, queries: [] };
  const pending = new WeakMap<pg.Client, number>();
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client & { pipeline?: boolean }, ...args: unknown[]) {
    const inFlight = pending.get(this) ?? 0;
    if (inFlight === 0 || !this.pipeline) seen.roundTrips++;
    const config = args[0] as string | { text: string };
    seen.queries.push(typeof config === 'string' ? config : config.text);
    pending.set(this, inFlight + 1);
    const settle = () => pending.set(this, (pending.get(this) ?? 1) - 1);
    const result = (original as (...a: unknown[]) => unknown).apply(this, args) as Promise<unknown>;
    result.then(settle, settle);
    return result;
  } as typeof original;
  try {
    await f();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}
