// Issue 5 part 1 across processes: the random operations of test/reliability/invariants.test.ts,
// each batch spread over three `roster serve` processes on one PostgreSQL database, never break
// the store's invariants (checked through the test's own connection after every batch). Only the
// database's row locks and transactions keep the processes from racing each other here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ADMIN_PASSWORD, DB_KIND, freshDatabase, type Creds } from '../helpers/roster.ts';
import { checkInvariants } from '../helpers/invariants.ts';
import { batchesArb, knownRows, runOp, StatusTally } from '../helpers/random-ops.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { serve, type Served } from './spawn.ts';

const admin: Creds = { basic: ['admin', ADMIN_PASSWORD] };

describe(
  'invariants under concurrent random operations across three processes',
  { skip: DB_KIND !== 'postgres' && 'separate processes share a database only on PostgreSQL (SQLite: test/reliability/invariants.test.ts)' },
  () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let servers: Served[] = [];
    let store: Store;

    before(async () => {
      db = await freshDatabase();
      servers = await Promise.all([4833, 4834, 4835].map((port) => serve(db.url, port)));
      store = await openStore(db.url, { poolSize: 2 });
    });
    after(async () => {
      await store?.close();
      const codes = await Promise.all(servers.map((s) => s.stop()));
      assert.deepEqual(
        codes,
        codes.map(() => 0),
      );
      await db.drop();
    });

    it('orgs keep an Admin and an owner among their Admins, names and slugs stay unique, nothing dangles', async (t) => {
      const tally = new StatusTally();
      let sequences = 0;
      await fc.assert(
        fc.asyncProperty(batchesArb(9, 4), fc.nat(2), async (batches, shift) => {
          sequences++;
          for (const batch of batches) {
            const known = await knownRows(store.db);
            // Neighbouring operations go to different processes.
            const replies = await Promise.all(batch.map((o, i) => runOp(servers[(i + shift) % 3]!.request, admin, o, known)));
            batch.forEach((o, i) => tally.add(o, replies[i]!));
            for (const r of replies.flat()) assert.ok(r.status < 500, `no 5xx: ${r.status} ${JSON.stringify(r.body)}`);
            await checkInvariants(store.db);
          }
        }),
        { numRuns: 20 },
      );
      t.diagnostic(`${sequences} sequences, ${tally}`);
      assert.ok(tally.successes > 20, `enough successful operations: ${tally}`);
    });

    it('demotions of the last two admins through two processes leave one admin', async () => {
      const [a, b] = servers as [Served, Served];
      for (let i = 0; i < 5; i++) {
        const org = (await a.request('POST', '/api/orgs', { ...admin, body: { name: `race-${i}` } })).body.orgId;
        const uid = (await a.request('POST', '/api/admin/users', { ...admin, body: { login: `racer-${i}`, password: 'secret-pw', OrgId: org } })).body.id;
        assert.equal((await a.request('PATCH', `/api/orgs/${org}/users/${uid}`, { ...admin, body: { role: 'Admin' } })).status, 200);
        const replies = await Promise.all([
          a.request('PATCH', `/api/orgs/${org}/users/1`, { ...admin, body: { role: 'Viewer' } }),
          b.request('PATCH', `/api/orgs/${org}/users/${uid}`, { ...admin, body: { role: 'Viewer' } }),
        ]);
        assert.deepEqual(replies.map((r) => r.status).sort(), [200, 400]);
        const admins = await store.db.selectFrom('org_members').select('user_id').where('org_id', '=', org).where('role', '=', 'Admin').execute();
        assert.equal(admins.length, 1);
      }
    });
  },
);
