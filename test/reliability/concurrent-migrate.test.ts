// Several processes starting at once on an empty database all run `migrate`: every one of them
// must succeed (one applies each migration, the others find it applied), never fail on the
// bookkeeping table that they all create first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KIND, freshDatabase } from '../helpers/roster.ts';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

// SQLite connections in one process block each other synchronously; separate processes on one
// SQLite file are covered by test/scaleout/first-start.test.ts.
describe('concurrent migrations on an empty database', { skip: DB_KIND !== 'postgres' && 'needs separate processes on SQLite (first-start test)' }, () => {
  it('all succeed and each migration is applied exactly once', async () => {
    for (let round = 0; round < 3; round++) {
      const db = await freshDatabase();
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(db.url, { poolSize: 1 })));
      try {
        const applied = await Promise.all(stores.map((s) => migrate(s)));
        assert.deepEqual(applied.flat().sort(), MIGRATIONS.map((m) => m.name).sort());
        const rows = await stores[0]!.db
          .selectFrom('schema_migrations' as any)
          .select('name')
          .execute();
        assert.equal(rows.length, MIGRATIONS.length);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await db.drop();
      }
    }
  });
});
