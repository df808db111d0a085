// Hot-path queries compiled once (src/store/precompiled.ts): the same answers as building them
// each time, inside transactions too (which commit or roll back with them), and a query whose
// SQL carries a bound value that is not an argument is refused when it is first compiled.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DB_KIND, migratedDatabase } from '../helpers/roster.ts';
import { insertOrg } from '../../src/domain/orgs.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { precompiled, precompiledChange } from '../../src/store/precompiled.ts';

const orgName = precompiled((db, id: number) => db.selectFrom('orgs').select('name').where('id', '=', id));
const rename = precompiledChange((db, name: string, id: number) => db.updateTable('orgs').set({ name }).where('id', '=', id));

describe(`precompiled queries (${DB_KIND})`, () => {
  let store: Store;
  let drop: () => Promise<void>;
  let ids: number[];
  before(async () => {
    const database = await migratedDatabase();
    drop = database.drop;
    store = await openStore(database.url);
    await migrate(store);
    ids = [];
    for (const name of ['Alpha', 'Beta']) ids.push((await insertOrg(store.db, { name })).id);
  });
  after(async () => {
    await store?.close();
    await drop?.();
  });

  it('answers with each call’s own arguments, outside and inside transactions', async () => {
    assert.deepEqual(await orgName(store.db, ids[0]), [{ name: 'Alpha' }]);
    assert.deepEqual(await orgName(store.db, ids[1]), [{ name: 'Beta' }]);
    assert.deepEqual(await orgName(store.db, -1), []);
    await store.db.transaction().execute(async (trx) => {
      assert.equal(await rename(trx, 'Beta 2', ids[1]), 1);
      assert.deepEqual(await orgName(trx, ids[1]), [{ name: 'Beta 2' }]);
      assert.equal(await rename(trx, 'Nobody', -1), 0);
    });
    assert.deepEqual(await orgName(store.db, ids[1]), [{ name: 'Beta 2' }]);
  });

  it('a change made in a transaction that fails is rolled back with it', async () => {
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await rename(trx, 'Alpha 2', ids[0]);
        throw new Error('gives up');
      }),
      /gives up/,
    );
    assert.deepEqual(await orgName(store.db, ids[0]), [{ name: 'Alpha' }]);
  });

  it('refuses a query with a bound value that is not one of its arguments', async () => {
    const limited = precompiled((db, id: number) => db.selectFrom('orgs').select('name').where('id', '=', id).limit(1));
    await assert.rejects(limited(store.db, ids[0]), /every argument must be one bound parameter/);
    const literal = precompiled((db, id: number) => db.selectFrom('orgs').select('name').where('id', '=', id).limit(sql.lit(1)));
    assert.deepEqual(await literal(store.db, ids[0]), [{ name: 'Alpha' }]);
  });
});
