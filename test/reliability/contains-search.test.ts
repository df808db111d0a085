// The indexed "contains" searches (src/store/contains-search.ts, migration 0008) find exactly
// what the former scan `lower(col) like '%q%' escape '\'` found, on random data kept through
// inserts, updates and deletes, and the databases answer them through their indexes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { DB_KIND, migratedDatabase } from '../helpers/roster.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { containsFilter, DENSE_MATCHES, SEARCHED, searchIndexesPresent, type SearchedTable } from '../../src/store/contains-search.ts';
import { trigramWalk } from '../../src/store/user-trigrams.ts';
import { countMatchingUsers, selectUserPage } from '../../src/store/users.ts';
import { selectMembers } from '../../src/store/member-search.ts';
import { likePattern } from '../../src/store/text-match.ts';
import { foldGramDeltas } from '../../src/store/user-grams.ts';
import { assertGramsExact } from '../helpers/gram-reference.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const LOGIN = { key: 'login' as const, desc: false };
const EMAIL = { key: 'email' as const, desc: false };
// LIKE and FTS5 metacharacters, upper and lower case, and non-ASCII letters lower() leaves alone.
const ALPHABET = ['a', 'b', 'c', 'A', 'B', '1', '%', '_', '\\', '"', ' ', '*', 'ö', 'Ö', 'ß', 'é', "'"];
const text = (min: number, max: number) => fc.array(fc.constantFrom(...ALPHABET), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** The former search: a scan with LIKE, written out here as the reference. */
async function oldScan(db: Kysely<any>, table: SearchedTable, q: string, orgId?: number): Promise<number[]> {
  const pat = likePattern(q, 'contains');
  const cols = SEARCHED[table].map((c) => sql`lower(${sql.ref(c)}) like ${pat} escape '\\'`);
  const org = orgId === undefined ? sql`` : sql` and id in (select user_id from org_members where org_id = ${orgId})`;
  const r = await sql<{ id: number }>`select id from ${sql.table(table)} where (${sql.join(cols, sql` or `)})${org} order by id`.execute(db);
  return r.rows.map((x) => Number(x.id));
}

async function indexed(db: Kysely<any>, table: SearchedTable, q: string): Promise<number[]> {
  const r = await db
    .selectFrom(table)
    .select('id')
    .where(await containsFilter(db, DB_KIND, table, q))
    .orderBy('id')
    .execute();
  return r.map((x: any) => Number(x.id));
}

describe('indexed contains search', () => {
  let database: { url: string; drop(): Promise<void> };
  let store: Store;
  let db: Kysely<any>;
  let orgId: number;
  let seq = 0;
  before(async () => {
    database = await migratedDatabase();
    store = await openStore(database.url, { poolSize: 2 });
    await migrate(store);
    db = store.db as Kysely<any>;
    orgId = (await db.insertInto('orgs').values({ public_id: 'Oprop', uuid: 'org-prop', name: 'Prop', slug: 'prop', created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow()).id;
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  type Compiled = { sql: string; parameters: readonly unknown[] };

  /** SQLite's query plan of `q`, one line a step. */
  async function sqlitePlan(q: Compiled): Promise<string> {
    return (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]))).rows.map((r) => r.detail).join('\n');
  }

  /** PostgreSQL's generic plan of `q` as a prepared statement (store/pg-prepared.ts names every query), in `trx`. */
  async function genericPlan(trx: Kysely<any>, q: Compiled): Promise<string> {
    await sql`set local plan_cache_mode = force_generic_plan`.execute(trx);
    await sql.raw(`prepare plan_probe as ${q.sql}`).execute(trx);
    const plan = await sql.raw(`explain execute plan_probe(${q.parameters.map((p) => `'${String(p).replace(/'/g, "''")}'`).join(', ')})`).execute(trx);
    await sql`deallocate plan_probe`.execute(trx);
    return (plan.rows as any[]).map((r) => r['QUERY PLAN']).join('\n');
  }

  /** `ids` in the default user order (login, email, id), as the database sorts. */
  async function inDefaultOrder(ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('users').select('id').where('id', 'in', ids).orderBy('login').orderBy('email').orderBy('id').execute();
    return rows.map((u: any) => Number(u.id));
  }

  /** A users row; its other unique columns from the next sequence number. */
  function userValues(login: string, email: string, name: string) {
    const n = ++seq;
    return { uid: `u${n}`, public_id: `U${n}`, uuid: `uuid-${n}`, login, email, name, password_hash: null, created_at: NOW, updated_at: NOW, last_seen_at: NOW, timezone: null, phone_number: null };
  }

  /** Unique columns get a suffix; the searched text stays random. */
  async function addUser(login: string, email: string, name: string, member: boolean): Promise<number> {
    const n = seq + 1;
    const { id } = await db
      .insertInto('users')
      .values(userValues(`${login}#${n}`, `${email}@${n}`, name))
      .returning('id')
      .executeTakeFirstOrThrow();
    if (member)
      await db
        .insertInto('org_members')
        .values({ org_id: orgId, user_id: id, role: 'Viewer', uuid: `m-${n}`, created_at: NOW, updated_at: NOW })
        .execute();
    return id;
  }

  it('users, members, teams and service accounts: the same rows as the LIKE scan, after inserts, updates and deletes', async () => {
    const row = fc.record({ login: text(0, 8), email: text(0, 8), name: text(0, 10), member: fc.boolean() });
    // `fold`: PostgreSQL folds the gram deltas after this change (store/user-grams.ts).
    const change = fc.record({ pick: fc.nat(), kind: fc.constantFrom('login', 'email', 'name', 'delete'), value: text(0, 8), fold: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), fc.array(change, { maxLength: 6 }), fc.array(text(1, 5), { minLength: 1, maxLength: 6 }), async (rows, changes, queries) => {
        await db.deleteFrom('org_members').execute();
        await db.deleteFrom('users').execute();
        await db.deleteFrom('teams').execute();
        await db.deleteFrom('service_accounts').execute();
        const ids: number[] = [];
        for (const r of rows) {
          ids.push(await addUser(r.login, r.email, r.name, r.member));
          const n = ++seq;
          await db
            .insertInto('teams')
            .values({ uid: `t${n}`, public_id: `T${n}`, org_id: orgId, name: `${r.name}~${n}`, created_at: NOW, updated_at: NOW })
            .execute();
          await db
            .insertInto('service_accounts')
            .values({ uid: `s${n}`, org_id: orgId, name: `${r.email}~${n}`, login: `${r.login}~${n}`, role: 'Viewer', created_at: NOW, updated_at: NOW })
            .execute();
        }
        for (const c of changes) {
          const id = ids[c.pick % ids.length]!;
          if (c.kind === 'delete') {
            await db.deleteFrom('org_members').where('user_id', '=', id).execute();
            await db.deleteFrom('users').where('id', '=', id).execute();
          } else {
            const n = ++seq;
            const patch = { login: { login: `${c.value}#${n}` }, email: { email: `${c.value}@${n}` }, name: { name: c.value } }[c.kind];
            await db.updateTable('users').set(patch).where('id', '=', id).execute();
          }
          if (c.fold && DB_KIND === 'postgres') await foldGramDeltas(db);
          await db
            .updateTable('teams')
            .set({ name: `${c.value}~${++seq}` })
            .where(
              'id',
              '=',
              db.selectFrom('teams').select((eb) => eb.fn.min('id').as('m')),
            )
            .execute();
        }
        // The exact total of every fragment of 1 to 5 characters (and of every user) in the data.
        await assertGramsExact(db);
        // Fragments both random and taken from the data, 1 to 5 characters.
        const taken = rows.flatMap((r) => [r.login.slice(1, 4), r.name.slice(2, 7)]).filter(Boolean);
        for (const q of [...queries, ...taken]) {
          for (const table of Object.keys(SEARCHED) as SearchedTable[]) assert.deepEqual(await indexed(db, table, q), await oldScan(db, table, q), `${table} ${JSON.stringify(q)}`);
          const expected = await oldScan(db, 'users', q);
          // By login, and in the default order (login, email), which the known total may serve from the index at once.
          for (const sort of [[LOGIN], [LOGIN, EMAIL]]) {
            const page = await selectUserPage(db, DB_KIND, { query: q, limit: 1000, offset: 0, sort });
            assert.deepEqual(
              page.map((u) => Number(u.id)).sort((a, b) => a - b),
              expected,
              `users page ${JSON.stringify(q)} by ${sort.map((x) => x.key)}`,
            );
          }
          assert.deepEqual(await selectUserPage(db, DB_KIND, { query: q, limit: 10, offset: expected.length, sort: [LOGIN, EMAIL] }), [], `past the last match ${JSON.stringify(q)}`);
          // The default order exactly, from an offset and after a position (the paging loop's keyset), small pages.
          const ordered = await inDefaultOrder(expected);
          const idsOf = (page: { id: number }[]) => page.map((u) => Number(u.id));
          assert.deepEqual(idsOf(await selectUserPage(db, DB_KIND, { query: q, limit: 3, offset: 1, sort: [LOGIN, EMAIL] })), ordered.slice(1, 4), `default order ${JSON.stringify(q)}`);
          if (ordered.length > 1) {
            const at = (await db.selectFrom('users').select(['login', 'email', 'id']).where('id', '=', ordered[0]!).executeTakeFirstOrThrow()) as { login: string; email: string; id: number };
            const after = { login: at.login, email: at.email, id: Number(at.id) };
            assert.deepEqual(idsOf(await selectUserPage(db, DB_KIND, { query: q, limit: 2, offset: 0, sort: [LOGIN, EMAIL], after })), ordered.slice(1, 3), `after ${JSON.stringify(q)}`);
          }
          assert.equal(await countMatchingUsers(db, DB_KIND, q), expected.length, `users count ${JSON.stringify(q)}`);
          const members = await selectMembers(db, DB_KIND, orgId, { query: q, limit: 1000, offset: 0 });
          const expectedMembers = await oldScan(db, 'users', q, orgId);
          assert.deepEqual(
            members.rows.map((m) => Number(m.userId)).sort((a, b) => a - b),
            expectedMembers,
            `members ${JSON.stringify(q)}`,
          );
          assert.equal(members.total, expectedMembers.length);
        }
      }),
      { numRuns: 40 },
    );
  });

  // Logins and emails take 190 characters, names 255 (domain/limits.ts); a row written before the
  // limits, or by hand, may hold more. The gram counts must not depend on a value's length.
  it('exact gram counts for values of every length, up to thousands of characters', async () => {
    await db.deleteFrom('org_members').execute();
    await db.deleteFrom('users').execute();
    // A small alphabet keeps the distinct fragments (and so the reference scans) few.
    const long = (n: number, salt: number) => Array.from({ length: n }, (_, i) => 'aB%ö'[(i * 7 + salt + ((i >> 3) % 3)) % 4]).join('');
    const ids: number[] = [];
    for (const [i, len] of [1, 5, 6, 190, 255, 256, 1000, 5000].entries()) ids.push(await addUser(long(len, i), long(Math.min(len, 190), i + 1), long(len, i + 2), false));
    await assertGramsExact(db, 'inserted');
    await db
      .updateTable('users')
      .set({ name: long(4100, 9), email: 'short' })
      .where('id', '=', ids[0]!)
      .execute();
    await db.updateTable('users').set({ login: 'x' }).where('id', '=', ids[7]!).execute();
    await assertGramsExact(db, 'updated');
    await db.deleteFrom('users').where('id', 'in', ids.slice(3, 6)).execute();
    await assertGramsExact(db, 'deleted');
    if (DB_KIND === 'postgres') {
      await foldGramDeltas(db);
      await assertGramsExact(db, 'folded');
    }
  });

  it('a fragment matching more than DENSE_MATCHES rows: the same page and total', async () => {
    await db.deleteFrom('org_members').execute();
    await db.deleteFrom('users').execute();
    for (let i = 0; i < DENSE_MATCHES + 10; i++) await addUser(`dense${i}`, `d${i}`, i % 7 === 0 ? 'Zed' : 'x', i % 3 === 0);
    for (const q of ['dense', 'ENSE1', 'zed', 'se9', 'e']) {
      const expected = await oldScan(db, 'users', q);
      const page = await selectUserPage(db, DB_KIND, { query: q, limit: 50, offset: 20, sort: [{ key: 'login', desc: false }] });
      const byLogin = (
        await db
          .selectFrom('users')
          .select(['id', 'login'])
          .where('id', 'in', expected.length ? expected : [0])
          .orderBy('login')
          .orderBy('id')
          .execute()
      ).map((u: any) => Number(u.id));
      assert.deepEqual(
        page.map((u) => Number(u.id)),
        byLogin.slice(20, 70),
        q,
      );
      assert.equal(await countMatchingUsers(db, DB_KIND, q), expected.length, q);
      const members = await selectMembers(db, DB_KIND, orgId, { query: q, limit: 10, offset: 5 });
      assert.equal(members.total, (await oldScan(db, 'users', q, orgId)).length, q);
    }
  });

  it('a common fragment whose matches all lie late in the login order: the same page', async () => {
    await db.deleteFrom('org_members').execute();
    await db.deleteFrom('users').execute();
    // More early rows than the walk reads (users.ts WALK_ENTRIES), then DENSE_MATCHES late matches.
    const rows = [...Array(5200).keys()].map((i) => `early${i}`).concat([...Array(DENSE_MATCHES + 50).keys()].map((i) => `zz-late${i}`));
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((login) => userValues(login, `${login}@x`, 'n'));
      await db.insertInto('users').values(chunk).execute();
    }
    for (const q of ['late', 'LATE1']) {
      const expected = await oldScan(db, 'users', q);
      const byLogin = (await db.selectFrom('users').select(['id', 'login']).where('id', 'in', expected).orderBy('login').orderBy('email').orderBy('id').execute()).map((u: any) => Number(u.id));
      const sort = [
        { key: 'login' as const, desc: false },
        { key: 'email' as const, desc: false },
      ];
      const page = await selectUserPage(db, DB_KIND, { query: q, limit: 50, offset: 10, sort });
      assert.deepEqual(
        page.map((u) => Number(u.id)),
        byLogin.slice(10, 60),
        q,
      );
    }
  });

  it("matches clustered late among the rarest trigram's rows: past the walk's bound the page is sorted from the index", async () => {
    // "dqjx" (as "d932" at 1 M seeded users): its rarest trigram "qjx" has 300 rows, the 60 matches
    // after 240 that are not. A page of 5 from offset 5 expects 50 rows by an even spread, so the
    // walk reads 200 (walkBound). No other user contains these letters: the table is not emptied.
    const logins = [...[...Array(240).keys()].map((i) => `aqjx${i}`), ...[...Array(60).keys()].map((i) => `dqjx-${i}`), ...[...Array(300).keys()].map((i) => `zdqjy${i}`)];
    await db
      .insertInto('users')
      .values(logins.map((login) => userValues(login, `${login}@x`, 'n')))
      .execute();
    const sort = [
      { key: 'login' as const, desc: false },
      { key: 'email' as const, desc: false },
    ];
    for (const q of ['dqjx', 'DQJX-']) {
      const expected = await oldScan(db, 'users', q);
      const byLogin = await db.selectFrom('users').select(['id', 'login', 'email']).where('id', 'in', expected).orderBy('login').orderBy('email').orderBy('id').execute();
      const ids = byLogin.map((u: any) => Number(u.id));
      for (const offset of [0, 5]) {
        const page = await selectUserPage(db, DB_KIND, { query: q, limit: 5, offset, sort });
        assert.deepEqual(
          page.map((u) => Number(u.id)),
          ids.slice(offset, offset + 5),
          `${q} from ${offset}`,
        );
      }
      const after = byLogin[4]!;
      const next = await selectUserPage(db, DB_KIND, { query: q, limit: 5, offset: 0, sort, after: { login: after.login, email: after.email, id: Number(after.id) } });
      assert.deepEqual(
        next.map((u) => Number(u.id)),
        ids.slice(5, 10),
        `${q} after the 5th`,
      );
    }
  });

  it('the plan reads the index', async () => {
    const probe = 'ense12';
    const filter = await containsFilter(db, DB_KIND, 'users', probe);
    const page = db.selectFrom('users').select('id').where(filter).orderBy('login').limit(50).compile();
    if (DB_KIND === 'sqlite') {
      assert.match(await sqlitePlan(page), /users_search VIRTUAL TABLE INDEX/);
      assert.doesNotMatch(await sqlitePlan(page), /^SCAN users$/m);
      const count = sql`select count(*) from users_search where users_search match ${'"ense12"'}`.compile(db);
      assert.match(await sqlitePlan(count), /SCAN users_search VIRTUAL TABLE INDEX/);
      return;
    }
    // The rows are few: with sequential and plain index scans off the planner shows whether it can use the trigram indexes.
    await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      // And without plain index scans: the login order's btree would otherwise serve a tiny table.
      await sql`set local enable_indexscan = off`.execute(trx);
      for (const q of [
        page,
        db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(filter)
          .compile(),
      ]) {
        const plan = (await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]))).rows.map((r) => r['QUERY PLAN']).join('\n');
        assert.match(plan, /BitmapOr/);
        for (const c of SEARCHED.users) assert.match(plan, new RegExp(`Bitmap Index Scan on users_${c}_trgm`));
      }
      // A prepared statement's generic plan too.
      assert.match(await genericPlan(trx, page), /Bitmap Index Scan on users_login_trgm/);
    });
    // What the start-up warning (server.ts) reads: every index present, and one missing.
    assert.equal(await searchIndexesPresent(db, 'postgres'), true);
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`drop index users_name_trgm`.execute(trx);
        assert.equal(await searchIndexesPresent(trx, 'postgres'), false);
        throw new Error('rollback');
      })
      .catch((err: Error) => assert.equal(err.message, 'rollback'));
    for (const [table, cols] of Object.entries(SEARCHED)) {
      for (const c of cols) {
        const r = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where indexname = ${`${table}_${c}_trgm`}`.execute(db);
        assert.equal(r.rows[0]!.n, 1, `${table}_${c}_trgm`);
      }
    }
  });

  it('a page in the default order walks the first rows of one trigram in login order: no sort', async () => {
    const walk = trigramWalk(db, DB_KIND, 'ens', 'ense1', { limit: 50, offset: 0, afterLogin: 'dense1', bound: 1000 }).select('u.id').compile();
    if (DB_KIND === 'sqlite') {
      const plan = await sqlitePlan(walk);
      assert.match(plan, /CO-ROUTINE o\nSEARCH user_trigrams USING PRIMARY KEY \(gram=\? AND login>\?\)/);
      assert.match(plan, /SEARCH u USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      assert.doesNotMatch(plan, /TEMP B-TREE/);
      return;
    }
    // The table is small here: with scans and sorts off the planner shows whether the key serves the order.
    await db.transaction().execute(async (trx) => {
      for (const off of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort']) await sql.raw(`set local ${off} = off`).execute(trx);
      const plan = await genericPlan(trx, walk);
      // The bound: a Limit straight over the trigram's rows in key order.
      assert.match(plan, /Limit .*\n\s*-> {2}Index Only Scan using user_trigrams_pkey on user_trigrams /);
      assert.match(plan, /Index Scan using users_pkey on users u/);
      assert.doesNotMatch(plan, /Sort|_trgm/);
    });
  });
});
