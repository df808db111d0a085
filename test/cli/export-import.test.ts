// `roster seed demo`, `roster export org` and `roster import` end to end as a child process: the
// demo refuses a second run, an export carries no secrets, an import recreates the org or refuses
// a clash without writing anything.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../helpers/roster.ts';
import { dumpTables } from '../helpers/dump.ts';
import { openStore } from '../../src/store/db.ts';
import { runCli } from './run-cli.ts';

describe('roster seed demo, export org, import', () => {
  let db: { url: string; drop(): Promise<void> };
  const dir = mkdtempSync(join(tmpdir(), 'roster-cli-'));
  const cli = (...args: string[]) => runCli(db.url, args);
  before(async () => {
    db = await freshDatabase();
    // Only serve, migrate and seed create a database (test/cli/first-hour.test.ts).
    const made = await cli('migrate');
    assert.equal(made.code, 0, made.stderr);
  });
  after(() => db.drop());

  it('seeds demo data once, with a progress line, and refuses a second run', async () => {
    let r = await cli('seed', 'demo', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.json().orgs.map((o: any) => o.name),
      ['Acme Corp', 'Globex', 'Initech'],
    );
    assert.match(r.stderr, /Seeding demo .* 8\/8/);
    r = await cli('seed', 'demo');
    assert.equal(r.code, 3);
    assert.match(r.stderr, /already present/);
  });

  it('exports an org without secrets and imports it under a new name', async () => {
    const tok = await cli('token', 'create', '--org', 'Acme Corp', '--service-account', 'bot', '--name', 'deploy', '--json');
    assert.equal(tok.code, 0, tok.stderr);
    // A webhook, written as the API would (its sealed secret is never read here).
    const store = await openStore(db.url);
    const acme = await store.db.selectFrom('orgs').select('id').where('name', '=', 'Acme Corp').executeTakeFirstOrThrow();
    const ts = new Date().toISOString();
    const sealed = 'v1.sealed-webhook-secret';
    await store.db
      .insertInto('webhooks')
      .values({ org_id: acme.id, url: 'https://hooks.example.com/acme', event_types: '["member.add"]', secret: sealed, from_event_id: 0, created_at: ts, updated_at: ts })
      .execute();
    await store.close();
    const r = await cli('export', 'org', 'Acme Corp');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(sealed), 'the webhook secret is never exported');
    assert.ok(!r.stdout.includes(tok.json().key), 'the token value is never exported');
    const archive = JSON.parse(r.stdout);
    assert.equal(archive.format, 'roster-org/1');
    assert.deepEqual(
      archive.members.map((m: any) => [m.login, m.role, m.isOwner]),
      [
        ['alice', 'Admin', true],
        ['bob', 'Editor', false],
        ['carol', 'Viewer', false],
      ],
    );
    assert.deepEqual(
      archive.teams.map((t: any) => [t.name, t.members.map((m: any) => m.login)]),
      [
        ['Platform', ['alice', 'bob']],
        ['Support', ['carol']],
      ],
    );
    assert.deepEqual(
      archive.serviceAccounts.map((s: any) => [s.name, s.tokens.map((t: any) => t.name)]),
      [['bot', ['deploy']]],
    );
    assert.deepEqual(archive.webhooks, [{ url: 'https://hooks.example.com/acme', eventTypes: ['member.add'], enabled: true }]);
    // A member unknown here is created (without a password).
    archive.members.push({ login: 'newcomer', email: 'newcomer@example.com', name: 'New', role: 'Viewer', isOwner: false, isDisabled: false });
    const file = join(dir, 'acme.json');
    writeFileSync(file, JSON.stringify(archive));

    const clash = await cli('import', file);
    assert.equal(clash.code, 3, 'the org name is taken');
    assert.match(clash.stderr, /already exists/);

    const imp = await cli('import', file, '--name', 'Acme Copy', '--json');
    assert.equal(imp.code, 0, imp.stderr);
    assert.match(imp.stderr, /Importing .* 8\/8/);
    assert.deepEqual(
      { ...imp.json<object>(), orgId: 0 },
      { orgId: 0, name: 'Acme Copy', members: 4, usersCreated: ['newcomer'], teams: 2, serviceAccounts: 1, tokensNotRecreated: 1, scimLinks: 0, webhooksNotRecreated: 1 },
    );
    const again = JSON.parse((await cli('export', 'org', 'Acme Copy')).stdout);
    assert.deepEqual(
      again.members.map((m: any) => [m.login, m.role, m.isOwner]),
      [...archive.members.map((m: any) => [m.login, m.role, m.isOwner])].sort(),
    );
    assert.deepEqual(
      again.teams.map((t: any) => [t.name, t.members]),
      archive.teams.map((t: any) => [t.name, t.members]),
    );
    assert.deepEqual(again.org.settings, archive.org.settings);
  });

  it('refuses bad files and member clashes without writing anything', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"something-else"}');
    assert.equal((await cli('import', bad)).code, 1);
    assert.equal((await cli('import', join(dir, 'missing.json'))).code, 1);
    const clash = join(dir, 'clash.json');
    const archive = JSON.parse((await cli('export', 'org', 'Globex')).stdout);
    archive.org.name = 'Clash Org';
    // A new login whose email already belongs to alice.
    archive.members.push({ login: 'impostor', email: 'alice@example.com', name: '', role: 'Viewer', isOwner: false, isDisabled: false });
    writeFileSync(clash, JSON.stringify(archive));
    const r = await cli('import', clash);
    assert.equal(r.code, 3);
    assert.equal((await cli('org', 'members', 'Clash Org')).code, 2, 'nothing was created');
    assert.equal((await cli('export', 'org', '999')).code, 2);
  });

  it('an import failing part-way, after creating its org and a user, leaves the store unchanged', async () => {
    const dump = async () => {
      const store = await openStore(db.url, { poolSize: 1 });
      try {
        return await dumpTables(store.db);
      } finally {
        await store.close();
      }
    };
    const archive = JSON.parse((await cli('export', 'org', 'Initech')).stdout);
    archive.org.name = 'Half Imported';
    archive.members.push({ login: 'halfway', email: 'halfway@example.com', name: '', role: 'Viewer', isOwner: false, isDisabled: false });
    const failures = {
      // Found by the import itself, after the org, its members and the new user exist.
      'a team member missing from the org': { ...archive, teams: [...archive.teams, { name: 'Ghosts', email: '', members: [{ login: 'ghost', permission: 0 }] }] },
      // Found by the database (unique service-account name), after the teams exist.
      'two service accounts of one name': {
        ...archive,
        serviceAccounts: [
          { name: 'twin', role: 'Viewer', tokens: [] },
          { name: 'twin', role: 'Editor', tokens: [] },
        ],
      },
    };
    for (const [why, failing] of Object.entries(failures)) {
      const before = await dump();
      const file = join(dir, 'half.json');
      writeFileSync(file, JSON.stringify(failing));
      const r = await cli('import', file, '--json');
      assert.notEqual(r.code, 0, `${why}: the import fails`);
      assert.ok(r.json().error, `${why}: --json reports the error: ${r.stdout}`);
      assert.match(r.stderr, /Importing/, `${why}: progress was shown before the failure`);
      assert.equal(await dump(), before, `${why}: nothing of the import remains`);
    }
  });
});
