// The org archive carries custom roles with their holders and service-account permissions
// (src/cli/role-archive.ts): `roster export org` names them by login, team and account name, and
// `roster import` recreates them in the new org, scoped to the new org's objects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';
import { runCliInProcess } from '../cli/in-process.ts';
import { makeOrg, makeUser } from '../oncall/fixtures.ts';

describe('roles and resource permissions in roster export org / import', () => {
  let t: TestRoster;
  let orgId: number;
  let in1: Creds;
  const dir = mkdtempSync(join(tmpdir(), 'roster-roles-'));

  before(async () => {
    t = await startRoster();
    orgId = await makeOrg(t, 'Archive Org');
    in1 = { ...t.admin, headers: { 'x-grafana-org-id': String(orgId) } };
  });
  after(() => t.close());

  it('exports roles, holders and account permissions by name and imports them onto the new objects', async () => {
    const user = await makeUser(t, 'archived-user', 'Viewer', orgId);
    const team = (await t.request('POST', '/api/teams', { ...in1, body: { name: 'Archived team' } })).body.teamId;
    assert.equal((await t.request('POST', `/api/teams/${team}/members`, { ...in1, body: { userId: user.id } })).status, 200);
    const sa = (await t.request('POST', '/api/serviceaccounts', { ...in1, body: { name: 'archived-bot', role: 'Viewer' } })).body.id;
    const role = await t.request('POST', '/api/access-control/roles', {
      ...in1,
      body: {
        name: 'custom:archived',
        description: 'kept',
        permissions: [
          { action: 'teams:read', scope: 'teams:*' },
          { action: 'teams:write', scope: `teams:id:${team}` },
        ],
      },
    });
    assert.equal(role.status, 201, role.text);
    const uid = role.body.uid;
    assert.equal((await t.request('POST', `/api/access-control/users/${user.id}/roles`, { ...in1, body: { roleUid: uid } })).status, 200);
    assert.equal((await t.request('POST', `/api/access-control/teams/${team}/roles`, { ...in1, body: { roleUid: uid } })).status, 200);
    assert.equal((await t.request('POST', '/api/access-control/builtin-roles', { ...in1, body: { roleUid: uid, builtinRole: 'None' } })).status, 200);
    const assigned = await t.request('PUT', `/api/access-control/roles/${uid}/assignments`, { ...in1, body: { users: [user.id], teams: [team], service_accounts: [sa] } });
    assert.equal(assigned.status, 200, assigned.text);
    assert.equal((await t.request('POST', `/api/access-control/serviceaccounts/${sa}/users/${user.id}`, { ...in1, body: { permission: 'Edit' } })).status, 200);

    const file = join(dir, 'org.json');
    const exp = await runCliInProcess(t.config.databaseUrl, ['export', 'org', String(orgId), '-o', file]);
    assert.equal(exp.code, 0, exp.stderr);
    const archive = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(archive.roles, [
      {
        name: 'custom:archived',
        displayName: '',
        description: 'kept',
        group: '',
        hidden: false,
        permissions: [
          { action: 'teams:read', scope: 'teams:*' },
          { action: 'teams:write', team: 'Archived team' },
        ],
        users: ['archived-user'],
        teams: ['Archived team'],
        serviceAccounts: ['archived-bot'],
        builtinRoles: ['None'],
      },
    ]);
    assert.deepEqual(archive.serviceAccounts[0].permissions, [{ user: 'archived-user', permission: 'Edit' }]);

    const imp = await runCliInProcess(t.config.databaseUrl, ['import', file, '--name', 'Archive Copy', '--json']);
    assert.equal(imp.code, 0, imp.stderr);
    const copy = JSON.parse(imp.stdout).orgId as number;
    const inCopy = { ...t.admin, headers: { 'x-grafana-org-id': String(copy) } };
    const roles = (await t.request('GET', '/api/access-control/roles', inCopy)).body as { uid: string; name: string }[];
    const copied = roles.find((r) => r.name === 'custom:archived')!;
    assert.notEqual(copied.uid, uid);
    const newTeam = (await t.request('GET', '/api/teams/search?name=Archived%20team', inCopy)).body.teams[0].id;
    const full = (await t.request('GET', `/api/access-control/roles/${copied.uid}`, inCopy)).body;
    assert.deepEqual(
      full.permissions.map((g: { action: string; scope: string }) => [g.action, g.scope]),
      [
        ['teams:read', 'teams:*'],
        ['teams:write', `teams:id:${newTeam}`],
      ],
    );
    assert.deepEqual(
      (await t.request('GET', `/api/access-control/users/${user.id}/roles`, inCopy)).body.map((r: { uid: string }) => r.uid),
      [copied.uid],
    );
    assert.deepEqual(
      (await t.request('GET', `/api/access-control/teams/${newTeam}/roles`, inCopy)).body.map((r: { uid: string }) => r.uid),
      [copied.uid],
    );
    assert.deepEqual(
      (await t.request('GET', '/api/access-control/builtin-roles', inCopy)).body.None.map((r: { uid: string }) => r.uid),
      [copied.uid],
    );
    const newSa = (await t.request('GET', '/api/serviceaccounts/search?query=archived-bot', inCopy)).body.serviceAccounts[0].id;
    assert.deepEqual((await t.request('GET', `/api/access-control/roles/${copied.uid}/assignments`, inCopy)).body.service_accounts, [newSa]);
    const perms = (await t.request('GET', `/api/access-control/serviceaccounts/${newSa}`, inCopy)).body;
    assert.equal(perms.find((e: { userId?: number }) => e.userId === user.id).permission, 'Edit');
  });
});
