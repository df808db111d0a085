// `roster seed`'s bulk loader: counts, the spread of memberships, one owner per org, a home org
// per user, and seeded users who can log in with the shared password.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { bulkSeed, seededLogin } from '../../src/cli/bulk-seed.ts';
import { hashPassword } from '../../src/domain/secrets.ts';
import { assertGramsMatchValues, assertTrigramsExact, scanCount } from '../helpers/gram-reference.ts';
import { countGram } from '../../src/store/user-grams.ts';

describe('bulk seed', () => {
  let t: TestRoster;
  let firstUserId: number;
  let firstOrgId: number;
  before(async () => {
    t = await startRoster();
    const r = await bulkSeed(t.roster.store, { users: 2500, orgs: 40, memberships: 6000, passwordHash: await hashPassword('seed-pass') });
    firstUserId = r.firstUserId;
    firstOrgId = r.firstOrgId;
  });
  after(() => t.close());

  const count = async (query: string) => Number((await sql<{ n: number }>`${sql.raw(query)}`.execute(t.roster.ctx.db)).rows[0].n);

  it('inserts the requested rows after the existing ones', async () => {
    assert.equal(await count(`select count(*) as n from users where id >= ${firstUserId}`), 2500);
    assert.equal(await count(`select count(*) as n from orgs where id >= ${firstOrgId}`), 40);
    assert.equal(await count(`select count(*) as n from org_members where org_id >= ${firstOrgId}`), 6000);
    // Sequences follow the explicit ids: a user created afterwards gets the next id.
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'after-seed', password: 'after-seed-1' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, firstUserId + 2500);
  });

  it('gives every org one Admin owner and every user a home org it belongs to', async () => {
    assert.equal(await count(`select count(*) as n from org_members where org_id >= ${firstOrgId} and is_owner = 1 and role = 'Admin'`), 40);
    assert.equal(
      await count(
        `select count(*) as n from users u where u.id >= ${firstUserId} and u.login like 'seed%' and not exists ` + `(select 1 from org_members m where m.user_id = u.id and m.org_id = u.org_id)`,
      ),
      0,
    );
  });

  it('lets a seeded user log in with the shared password', async () => {
    const login = seededLogin(firstUserId + 7);
    const r = await t.request('GET', '/api/org', { basic: [login, 'seed-pass'] });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, firstOrgId + 7);
    assert.equal((await t.request('GET', '/api/org', { basic: [login, 'wrong'] })).status, 401);
  });

  it("counts the seeded users for the search totals and adds their trigrams' rows, as the triggers would", async () => {
    await assertGramsMatchValues(t.roster.ctx.db, 'seeded');
    await assertTrigramsExact(t.roster.ctx.db, 'seeded');
    for (const g of ['', 'seed', 'd12', '@', '.com', 'ser 9']) assert.equal(await countGram(t.roster.ctx.db, g), await scanCount(t.roster.ctx.db, g), g);
    // A second seed adds after the existing users; the counts follow.
    await bulkSeed(t.roster.store, { users: 300, orgs: 1, memberships: 0, passwordHash: 'not-a-hash' });
    await assertGramsMatchValues(t.roster.ctx.db, 'second seed');
    await assertTrigramsExact(t.roster.ctx.db, 'second seed');
    // The triggers are live again after a seed's batches.
    await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'trigram-later', email: 'later@x.org', password: 'after-seed-1' } });
    await assertTrigramsExact(t.roster.ctx.db, 'after a user created');
  });
});
