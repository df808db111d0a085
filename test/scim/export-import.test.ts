// An org's SCIM links survive `roster export org` / `roster import`: the users provisioned into it
// (a deprovisioned one included) with their externalId, and its groups' externalIds. SCIM tokens
// are never exported.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { runCli } from '../cli/run-cli.ts';
import { GROUP, newUser, orgWithToken, PATCH_OP, scimClient } from './fixtures.ts';

describe('SCIM links in org export and import', () => {
  let t: TestRoster;
  let dir: string;
  before(async () => {
    t = await startRoster();
    dir = mkdtempSync(join(tmpdir(), 'roster-scim-'));
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports provisioned users and group externalIds, never the token, and imports them', async () => {
    const { orgId, token } = await orgWithToken(t, 'Exported');
    const scim = scimClient(t, token);
    const kept = (await scim('POST', '/Users', { ...newUser('kept@x.example'), externalId: 'ext-kept' })).body.id;
    const gone = (await scim('POST', '/Users', { ...newUser('gone@x.example'), externalId: 'ext-gone' })).body.id;
    await scim('PATCH', `/Users/${gone}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    assert.equal((await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Exported team', externalId: 'grp-x', members: [{ value: kept }] })).status, 201);

    const cli = (...args: string[]) => runCli(t.config.databaseUrl, args);
    const r = await cli('export', 'org', String(orgId));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(token), 'no SCIM token in the export');
    const archive = JSON.parse(r.stdout);
    assert.deepEqual(archive.scim, {
      users: [
        { login: 'kept@x.example', externalId: 'ext-kept' },
        { login: 'gone@x.example', externalId: 'ext-gone' },
      ],
      groups: [{ name: 'Exported team', externalId: 'grp-x' }],
    });
    const file = join(dir, 'org.json');
    writeFileSync(file, r.stdout);
    const imported = await cli('import', file, '--name', 'Imported', '--json');
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(imported.json().scimLinks, 3);

    const made = await t.request('POST', `/api/roster/v1/orgs/${imported.json().orgId}/scim-tokens`, { ...t.admin, body: {} });
    const copy = scimClient(t, made.body.token);
    const users = await copy('GET', `/Users?filter=${encodeURIComponent('externalId pr')}`);
    assert.deepEqual(
      users.body.Resources.map((u: { userName: string; externalId: string; active: boolean }) => [u.userName, u.externalId, u.active]),
      [
        ['kept@x.example', 'ext-kept', true],
        ['gone@x.example', 'ext-gone', false],
      ],
    );
    const groups = await copy('GET', `/Groups?filter=${encodeURIComponent('externalId eq "grp-x"')}`);
    assert.deepEqual(
      groups.body.Resources.map((g: { displayName: string; members: unknown[] }) => [g.displayName, g.members.length]),
      [['Exported team', 1]],
    );
  });
});
