// The CLI against the database of a running server: changes made with `roster ...` are seen
// through the HTTP API: at once on PostgreSQL (each command notifies the servers), within a
// second on SQLite (when the memos run out, http/memo/expiring-memo.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DB_KIND, startRoster, type TestRoster } from '../helpers/roster.ts';
import { CHANNEL } from '../../src/http/memo/invalidation.ts';
import { runCli, untilServersSeeCliWrites } from './run-cli.ts';

describe('roster CLI next to a running server', () => {
  let t: TestRoster;
  const cli = (...args: string[]) => runCli(t.config.databaseUrl, args);
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('a user and an org member added by the CLI appear in the API', async () => {
    const r = await cli('user', 'create', 'live-lu', '--password', 'live-pass-1', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await cli('org', 'members', '1', '--set-role', 'live-lu', '--role', 'Editor')).code, 0);
    const users = await t.request('GET', '/api/org/users', t.admin);
    assert.equal(users.status, 200);
    assert.equal(users.body.find((u: any) => u.login === 'live-lu')?.role, 'Editor');
    // The new user signs in with the password the CLI set.
    const me = await t.request('GET', '/api/user', { basic: ['live-lu', 'live-pass-1'] });
    assert.equal(me.status, 200);
    assert.equal(me.body.login, 'live-lu');
  });

  it('a token minted by the CLI authenticates until the CLI revokes it', async () => {
    const r = await cli('token', 'create', '--org', '1', '--service-account', 'live-bot', '--role', 'Viewer', '--json');
    assert.equal(r.code, 0, r.stderr);
    const { key, id } = r.json();
    const org = await t.request('GET', '/api/org', { bearer: key });
    assert.equal(org.status, 200);
    assert.equal(org.body.name, 'Main Org.');
    assert.equal((await cli('token', 'revoke', String(id))).code, 0);
    await untilServersSeeCliWrites();
    assert.equal((await t.request('GET', '/api/org', { bearer: key })).status, 401);
  });

  it(
    'on PostgreSQL a CLI command tells the running servers, which drop their memos at once',
    { skip: DB_KIND !== 'postgres' && 'SQLite has no channel between separate processes', timeout: 30_000 },
    async () => {
      const listener = new pg.Client({ connectionString: t.config.databaseUrl });
      await listener.connect();
      try {
        const heard = new Promise<string>((resolve) => listener.on('notification', (n) => n.channel === CHANNEL && resolve(n.payload ?? '')));
        await listener.query(`LISTEN ${CHANNEL}`);
        assert.equal((await cli('user', 'create', 'live-told', '--password', 'live-pass-2')).code, 0);
        assert.ok(await heard);
      } finally {
        await listener.end();
      }
    },
  );

  it('an org deleted by the CLI is gone from the API', async () => {
    const made = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Live Doomed' } });
    assert.equal(made.status, 200);
    assert.equal((await cli('org', 'delete', 'Live Doomed')).code, 0);
    assert.equal((await t.request('GET', `/api/orgs/${made.body.orgId}`, t.admin)).status, 404);
  });
});
