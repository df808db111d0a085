// Three processes started at the same moment on an empty database: all of them migrate (or wait
// for the one that does), exactly one server admin and one org are created, and the admin signs
// in through every process.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, freshDatabase, type Creds } from '../helpers/roster.ts';
import { openStore } from '../../src/store/db.ts';
import { serve, type Served } from './spawn.ts';

const admin: Creds = { basic: ['admin', ADMIN_PASSWORD] };

describe('three processes first-starting at once on an empty database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let served: Served[] = [];

  before(async () => {
    db = await freshDatabase();
  });
  after(async () => {
    const codes = await Promise.all(served.map((s) => s.stop()));
    assert.deepEqual(
      codes,
      codes.map(() => 0),
    );
    await db.drop();
  });

  it('all start, one admin and one org exist, and the admin signs in through each', async () => {
    const started = await Promise.allSettled([4830, 4831, 4832].map((port) => serve(db.url, port)));
    served = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    assert.deepEqual(
      started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason)),
      [],
      'every process started',
    );

    const store = await openStore(db.url, { poolSize: 1 });
    try {
      const admins = await store.db.selectFrom('users').select(['login', 'org_id']).where('is_admin', '=', 1).execute();
      assert.deepEqual(admins, [{ login: 'admin', org_id: 1 }]);
      assert.deepEqual(await store.db.selectFrom('orgs').select(['id', 'name']).execute(), [{ id: 1, name: 'Main Org.' }]);
      assert.deepEqual(await store.db.selectFrom('org_members').select(['org_id', 'role', 'is_owner']).execute(), [{ org_id: 1, role: 'Admin', is_owner: 1 }]);
    } finally {
      await store.close();
    }
    for (const s of served) {
      const me = await s.request('GET', '/api/user', admin);
      assert.equal(me.status, 200, `port ${s.port}: ${JSON.stringify(me.body)}`);
      assert.equal(me.body.login, 'admin');
      assert.equal(me.body.isGrafanaAdmin, true);
    }
  });
});
