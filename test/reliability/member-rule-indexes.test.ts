// The membership rules' reads under an org's lock (store/org-members.ts countAdmins,
// longestStandingAdmin, findOwner) go through the indexes of migration 0013, not a walk over
// every member of the org: checked in the query plans of an org with thousands of members.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DB_KIND, migratedDatabase } from '../helpers/roster.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { bulkAddMembers, bulkSeed } from '../../src/cli/bulk-seed.ts';

describe(`membership rule indexes (${DB_KIND})`, () => {
  let store: Store;
  let drop: () => Promise<void>;
  let orgId: number;
  before(async () => {
    const database = await migratedDatabase();
    drop = database.drop;
    store = await openStore(database.url, { poolSize: 1 });
    await migrate(store);
    await bulkSeed(store, { users: 3000, orgs: 2, memberships: 3000, passwordHash: 'not-a-hash' });
    orgId = (await store.db.selectFrom('orgs').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    const ids = (await store.db.selectFrom('users').select('id').execute()).map((r) => r.id);
    const members = new Set((await store.db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).execute()).map((r) => r.user_id));
    await bulkAddMembers(
      store,
      orgId,
      ids.filter((id) => !members.has(id)),
      'Viewer',
    );
    await sql.raw(DB_KIND === 'sqlite' ? 'analyze' : 'analyze org_members').execute(store.db);
  });
  after(async () => {
    await store?.close();
    await drop?.();
  });

  const plan = async (query: string) => {
    const text = DB_KIND === 'sqlite' ? `explain query plan ${query}` : `explain ${query}`;
    const rows = (await sql.raw<Record<string, string>>(text).execute(store.db)).rows;
    return rows.map((r) => r.detail ?? r['QUERY PLAN']).join('\n');
  };

  it('counts the Admins and finds the heir through org_members_org_role', async () => {
    for (const q of [
      `select count(*) from org_members where org_id = ${orgId} and role = 'Admin'`,
      `select user_id from org_members where org_id = ${orgId} and role = 'Admin' order by created_at, user_id limit 1`,
    ]) {
      const p = await plan(q);
      assert.match(p, /org_members_org_role/, `${q}\n${p}`);
    }
  });

  it('finds the owner through org_members_org_owner', async () => {
    const q = `select user_id from org_members where org_id = ${orgId} and is_owner = 1 limit 1`;
    const p = await plan(q);
    assert.match(p, /org_members_org_owner/, `${q}\n${p}`);
  });
});
