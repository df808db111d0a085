// A user page in the default order through the login order of a trigram's users (migration 0022,
// docs/search.md): the rows of the query's rarest trigram, walked in login order, filtered by the
// LIKE. Every match contains each of the query's trigrams, so it is among those rows; the walk
// stops once the page is full.
import { likeAny } from './contains-search.ts';
import type { Db, Dialect } from './db.ts';

/** The distinct 3-character fragments of `text` lower-cased (by code point, as the databases' substr counts). */
export function trigramsOf(text: string): string[] {
  const chars = [...text.toLowerCase()];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  return [...grams];
}

/** The trigram of `grams` the fewest users contain, and how many (0: none, so no user matches). */
export function rarest(grams: readonly string[], counts: ReadonlyMap<string, number>): { gram: string; users: number } {
  let best = { gram: grams[0]!, users: Infinity };
  for (const gram of grams) {
    const users = counts.get(gram) ?? 0;
    if (users < best.users) best = { gram, users };
  }
  return best;
}

/**
 * How many of a trigram's `users` rows a page ending at `end` reads when `matches` of them (or
 * an unknown number) match: in proportion, at most all of them.
 */
export function rowsWalked(users: number, matches: number | undefined, end: number): number {
  if (matches === undefined || matches === 0) return users;
  return Math.min(users, Math.ceil((end * users) / matches));
}

/**
 * How many of a trigram's rows a walk reads at most when an even spread of the matches would have
 * it read `expected`: matches can sit together late in the login order ("d932" at 1 M users: the
 * rarest trigram "932" has some 2,700 rows before the 50th match where 220 were expected), and
 * reading the index's matches and sorting them is then cheaper than walking on.
 */
export function walkBound(expected: number): number {
  return 2 * expected + 100;
}

/**
 * The users (as `u`) among the first `bound` of `gram`'s rows (in login order, after
 * `afterLogin`) whose searched columns contain `text`, in login order; `offset` then `limit`.
 * On PostgreSQL each row's user is read by a LATERAL subquery the planner may not flatten
 * (OFFSET 0): with the LIKE in a plain join it estimated the matches from the trigram indexes, and
 * for a common trigram (27,000 matches at 1 M users) chose to sort every match (30-90 ms) over the
 * walk (under 1 ms). SQLite walks as written.
 */
export function trigramWalk(db: Db, dialect: Dialect, gram: string, text: string, q: { limit: number; offset: number; afterLogin?: string; bound: number }) {
  let rows = db.selectFrom('user_trigrams').select(['id', 'login']).where('gram', '=', gram);
  if (q.afterLogin !== undefined) rows = rows.where('login', '>', q.afterLogin);
  const o = rows.orderBy('login').limit(q.bound).as('o');
  const walk =
    dialect === 'postgres'
      ? db.selectFrom(o).innerJoinLateral(
          (eb) =>
            eb
              .selectFrom('users as u')
              .selectAll('u')
              .whereRef('u.id', '=', 'o.id')
              .where(likeAny('users', text, 'u'))
              .offset(0)
              .as('u'),
          (join) => join.onTrue(),
        )
      : db
          .selectFrom(o)
          .innerJoin('users as u', 'u.id', 'o.id')
          .where(likeAny('users', text, 'u'));
  return walk.orderBy('o.login').limit(q.limit).offset(q.offset);
}
