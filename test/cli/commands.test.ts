// The CLI end to end as a child process on a fresh database: users, orgs, members, tokens,
// --json output, exit codes (0 ok, 1 usage, 2 not found, 3 conflict) and the audit trail.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from '../helpers/roster.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { runCli } from './run-cli.ts';
import { PASSWORD_COST } from '../../src/domain/secrets.ts';

describe('roster CLI commands', () => {
  let db: { url: string; drop(): Promise<void> };
  const cli = (...args: string[]) => runCli(db.url, args);
  before(async () => {
    db = await freshDatabase();
    // Only serve, migrate and seed create a database (test/cli/first-hour.test.ts).
    const made = await cli('migrate');
    assert.equal(made.code, 0, made.stderr);
  });
  after(() => db.drop());

  it('creates, lists, re-passwords, disables and enables users', async () => {
    let r = await cli('user', 'create', 'cli-ann', '--email', 'ann@example.com', '--password', 'ann-pass-1', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().login, 'cli-ann');
    assert.equal(r.json().password, undefined);
    r = await cli('user', 'create', 'cli-bo');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Password \(shown once\): \S{5,}/);
    r = await cli('user', 'create', 'cli-ann');
    assert.equal(r.code, 3, 'a duplicate login is a conflict');
    assert.match(r.stderr, /already exists/);
    r = await cli('user', 'list', '--query', 'cli-', '--json');
    assert.equal(r.code, 0);
    assert.deepEqual(
      r.json().users.map((u: any) => u.login),
      ['cli-ann', 'cli-bo'],
    );
    r = await cli('user', 'passwd', 'ann@example.com', '--json');
    assert.equal(r.code, 0);
    assert.ok(r.json().password.length >= 5);
    r = await cli('user', 'disable', 'cli-ann');
    assert.equal(r.code, 0);
    r = await cli('user', 'list', '--query', 'cli-ann', '--json');
    assert.equal(r.json().users[0].isDisabled, true);
    r = await cli('user', 'enable', 'cli-ann', '--json');
    assert.deepEqual(r.json(), { id: r.json().id, login: 'cli-ann', isDisabled: false });
    assert.equal((await cli('user', 'passwd', 'nobody-here')).code, 2);
    assert.equal((await cli('user', 'list', '--limit', 'x')).code, 1);
    assert.equal((await cli('user', 'frobnicate')).code, 1);
  });

  it('creates, lists and deletes orgs and manages members', async () => {
    let r = await cli('org', 'create', 'CLI Org', '--admin', 'cli-ann', '--json');
    assert.equal(r.code, 0, r.stderr);
    const orgId = r.json().id;
    assert.equal((await cli('org', 'create', 'CLI Org')).code, 3);
    r = await cli('org', 'list', '--json');
    assert.ok(r.json().some((o: any) => o.id === orgId && o.name === 'CLI Org'));
    assert.equal((await cli('org', 'members', 'CLI Org', '--add', 'cli-bo', '--role', 'Editor')).code, 0);
    assert.equal((await cli('org', 'members', 'CLI Org', '--add', 'cli-bo')).code, 3);
    assert.equal((await cli('org', 'members', String(orgId), '--set-role', 'cli-bo', '--role', 'Viewer')).code, 0);
    assert.equal((await cli('org', 'members', 'CLI Org', '--add', 'cli-bo', '--role', 'Boss')).code, 1);
    r = await cli('org', 'members', 'CLI Org', '--json');
    assert.deepEqual(
      r.json().map((m: any) => [m.login, m.role, m.isOwner]),
      [
        ['cli-ann', 'Admin', true],
        ['cli-bo', 'Viewer', false],
      ],
    );
    r = await cli('org', 'members', 'CLI Org');
    assert.match(r.stdout, /LOGIN/);
    assert.equal((await cli('org', 'members', 'CLI Org', '--remove', 'cli-bo')).code, 0);
    assert.equal((await cli('org', 'members', 'No Such Org')).code, 2);
    assert.equal((await cli('org', 'delete', 'CLI Org')).code, 0);
    assert.equal((await cli('org', 'delete', 'CLI Org')).code, 2);
  });

  it('mints service-account tokens and personal keys once, lists them without secrets, revokes them', async () => {
    assert.equal((await cli('org', 'create', 'Token Org', '--admin', 'cli-ann')).code, 0);
    let r = await cli('token', 'create', '--org', 'Token Org', '--service-account', 'deployer', '--role', 'Editor', '--name', 'ci', '--json');
    assert.equal(r.code, 0, r.stderr);
    const sa = r.json();
    assert.equal(sa.serviceAccountCreated, true);
    assert.match(sa.key, /^glsa_/);
    r = await cli('token', 'create', '--org', 'Token Org', '--service-account', 'deployer', '--name', 'ci2', '--json');
    assert.equal(r.json().serviceAccountCreated, false);
    assert.equal((await cli('token', 'create', '--org', 'Token Org', '--service-account', 'deployer', '--name', 'ci')).code, 3);
    r = await cli('token', 'list', '--org', 'Token Org', '--json');
    assert.deepEqual(
      r
        .json()
        .map((t: any) => t.name)
        .sort(),
      ['ci', 'ci2'],
    );
    assert.ok(!r.stdout.includes(sa.key));
    r = await cli('token', 'create', '--user', 'cli-ann', '--scopes', 'organization:read,user:read', '--json');
    assert.equal(r.code, 0, r.stderr);
    const pak = r.json();
    assert.match(pak.key, /^phx_/);
    assert.equal((await cli('token', 'create', '--user', 'cli-ann', '--scopes', 'bogus:read')).code, 1);
    assert.equal((await cli('token', 'create', '--user', 'cli-ann')).code, 1);
    r = await cli('token', 'list', '--user', 'cli-ann', '--json');
    assert.deepEqual(
      r.json().map((k: any) => k.id),
      [pak.id],
    );
    assert.equal((await cli('token', 'revoke', String(sa.id))).code, 0);
    assert.equal((await cli('token', 'revoke', String(pak.id))).code, 0);
    assert.equal((await cli('token', 'revoke', String(pak.id))).code, 2);
    assert.equal((await cli('token', 'revoke', 'abc')).code, 1);
  });

  it('records CLI actions in the audit trail as the system via face cli; hashes at the production cost', async () => {
    const store: Store = await openStore(db.url);
    try {
      const rows = await store.db.selectFrom('audit_events').select(['actor_kind', 'actor_login', 'face', 'action']).where('action', '=', 'org.create').execute();
      assert.ok(rows.length >= 2);
      for (const r of rows) assert.deepEqual([r.actor_kind, r.actor_login, r.face], ['system', 'cli', 'cli']);
      const keyEvent = await store.db
        .selectFrom('audit_events')
        .select(['actor_kind', 'actor_login', 'face'])
        .where('action', '=', 'token.create')
        .where('actor_kind', '=', 'user')
        .executeTakeFirstOrThrow();
      assert.deepEqual(keyEvent, { actor_kind: 'user', actor_login: 'cli-ann', face: 'cli' });
      // Real processes hash at the production cost (in-process test servers use a lower one).
      const ann = await store.db.selectFrom('users').select('password_hash').where('login', '=', 'cli-ann').executeTakeFirstOrThrow();
      const { N, r, p } = PASSWORD_COST;
      assert.ok(ann.password_hash?.startsWith(`scrypt$${N}$${r}$${p}$`), ann.password_hash ?? 'no hash');
    } finally {
      await store.close();
    }
  });
});
