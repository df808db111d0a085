// SQLite locked by another process (another `roster` command, a backup tool holding a write
// transaction) past the 5 s busy timeout: the write answers 503 with Retry-After (not 500), and
// succeeds once the lock is released, with no restart. The lock is a real second connection
// holding a write transaction on the same file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { DB_KIND, startRoster, type TestRoster } from '../helpers/roster.ts';

const skip = DB_KIND !== 'sqlite' && 'SQLite only (this run is PostgreSQL)';

describe('SQLite locked by another connection', { skip }, () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t?.close());

  it('answers 503 with Retry-After while locked, and writes again once released', async () => {
    const other = new SQLite(t.config.databaseUrl.slice('sqlite:'.length));
    other.exec('begin immediate');
    let locked;
    try {
      locked = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'While locked' } });
    } finally {
      other.exec('rollback');
      other.close();
    }
    assert.equal(locked.status, 503, locked.text);
    assert.equal(locked.headers['retry-after'], '1');
    assert.equal(locked.body.message, 'Service temporarily unavailable, try again later.');

    const r = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'While locked' } });
    assert.equal(r.status, 200, r.text);
  });
});
