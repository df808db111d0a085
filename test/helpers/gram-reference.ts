// The user-gram counts (migration 0021) against the reference: for every fragment of 0 to 5
// characters of every stored value, lower-cased by the database, the users the LIKE scan finds.
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { LONGEST_GRAM } from '../../src/store/user-grams.ts';

/** Every fragment of 0 to LONGEST_GRAM characters (code points) of `value`. */
function fragments(value: string, into: Set<string>): void {
  const chars = [...value];
  into.add('');
  for (let i = 0; i < chars.length; i++) {
    for (let k = 1; k <= LONGEST_GRAM && i + k <= chars.length; k++) into.add(chars.slice(i, i + k).join(''));
  }
}

/** How many users contain `gram` (taken as is, not lower-cased) in a lower-cased searched column: the LIKE scan. */
export async function scanCount(db: Kysely<any>, gram: string): Promise<number> {
  const pat = `%${gram.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  const r = await sql<{ n: number | string }>`select count(*) as n from users
    where lower(login) like ${pat} escape '\\' or lower(email) like ${pat} escape '\\' or lower(name) like ${pat} escape '\\'`.execute(db);
  return Number(r.rows[0]!.n);
}

/**
 * The whole count table (folded counts plus deltas; grams whose users are all gone left out)
 * equals the LIKE scan's count of every fragment of every stored value: no gram missing, none
 * extra, none off by one.
 */
export async function assertGramsExact(db: Kysely<any>, label = ''): Promise<void> {
  const values = await sql<{ l: string; e: string; n: string }>`select lower(login) as l, lower(email) as e, lower(name) as n from users`.execute(db);
  const grams = new Set<string>();
  for (const v of values.rows) for (const s of [v.l, v.e, v.n]) fragments(s, grams);
  const expected = new Map<string, number>();
  for (const g of [...grams].sort()) {
    const n = await scanCount(db, g);
    if (n > 0) expected.set(g, n);
  }
  const r = await sql<{ gram: string; n: number | string }>`select gram, sum(n) as n from (
    select gram, n from user_grams union all select gram, d as n from user_gram_deltas) t group by gram`.execute(db);
  const actual = new Map<string, number>();
  for (const row of r.rows) if (Number(row.n) !== 0) actual.set(row.gram, Number(row.n));
  const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(sorted(actual), sorted(expected), `gram counts ${label}`);
  await assertTrigramsExact(db, label);
}

/**
 * The trigram rows of migration 0022 are exactly one per user and distinct 3-character fragment
 * of its values lower-cased by the database, each with the user's login.
 */
export async function assertTrigramsExact(db: Kysely<any>, label = ''): Promise<void> {
  const values = await sql<{ id: number; login: string; l: string; e: string; n: string }>`select id, login, lower(login) as l, lower(email) as e, lower(name) as n from users`.execute(db);
  const expected = new Set<string>();
  for (const v of values.rows) {
    for (const s of [v.l, v.e, v.n]) {
      const chars = [...(s ?? '')];
      for (let i = 0; i + 3 <= chars.length; i++) expected.add(JSON.stringify([chars.slice(i, i + 3).join(''), v.login, Number(v.id)]));
    }
  }
  const rows = await sql<{ gram: string; login: string; id: number }>`select gram, login, id from user_trigrams`.execute(db);
  const actual = rows.rows.map((r) => JSON.stringify([r.gram, r.login, Number(r.id)]));
  assert.equal(actual.length, new Set(actual).size, `trigram rows repeat ${label}`);
  assert.deepEqual(actual.sort(), [...expected].sort(), `trigram rows ${label}`);
}

/**
 * The same comparison for many users, without a scan per fragment: the counts of every fragment
 * computed here from the values as the database lower-cased them (a substring test is what the
 * LIKE does with a literal pattern).
 */
export async function assertGramsMatchValues(db: Kysely<any>, label = ''): Promise<void> {
  const values = await sql<{ l: string; e: string; n: string }>`select lower(login) as l, lower(email) as e, lower(name) as n from users`.execute(db);
  const expected = new Map<string, number>();
  for (const v of values.rows) {
    const grams = new Set<string>();
    for (const s of [v.l, v.e, v.n]) fragments(s, grams);
    for (const g of grams) expected.set(g, (expected.get(g) ?? 0) + 1);
  }
  const r = await sql<{ gram: string; n: number | string }>`select gram, sum(n) as n from (
    select gram, n from user_grams union all select gram, d as n from user_gram_deltas) t group by gram`.execute(db);
  const actual = new Map<string, number>();
  for (const row of r.rows) if (Number(row.n) !== 0) actual.set(row.gram, Number(row.n));
  assert.equal(actual.size, expected.size, `gram count ${label}`);
  for (const [g, n] of expected) if (actual.get(g) !== n) assert.fail(`gram ${JSON.stringify(g)}: ${actual.get(g)} counted, ${n} expected ${label}`);
}
