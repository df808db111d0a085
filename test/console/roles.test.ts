// The console's Roles tab (docs/access-control.md) in real headless Chromium against a real
// server: an org admin creates a role from actions and scopes, gives it to a None member, who
// then lists the org's teams; takes it away and deletes the role. Each step is checked through
// the API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD } from '../helpers/roster.ts';
import { signIn, startConsole, type ConsoleEnv } from './browser.ts';

const T = { timeout: 90_000 };

describe('admin console: roles', () => {
  let env: ConsoleEnv;
  let orgId: number;
  let nellId: number;
  before(async () => {
    env = await startConsole();
    const api = (method: string, url: string, body?: unknown) => env.t.request(method, url, { ...env.t.admin, body });
    orgId = (await api('POST', '/api/orgs', { name: 'Roles Co' })).body.orgId;
    nellId = (await api('POST', '/api/admin/users', { login: 'nell', email: 'nell@example.com', password: 'nell-secret-1', orgId })).body.id;
    assert.equal((await api('PATCH', `/api/orgs/${orgId}/users/${nellId}`, { role: 'None' })).status, 200);
  });
  after(() => env?.close());

  const asNell = () => env.t.request('GET', '/api/teams/search', { basic: ['nell', 'nell-secret-1'], headers: { 'x-grafana-org-id': String(orgId) } });
  const inOrg = (method: string, url: string) => env.t.request(method, url, { ...env.t.admin, headers: { 'x-grafana-org-id': String(orgId) } });

  it('admin: creates a role, gives it to a member (who then lists teams), takes it away, deletes it', T, async () => {
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Roles Co' }).click();
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByText('No custom roles yet.').waitFor();

    await page.getByLabel('Role name').fill('custom:team-readers');
    await page.getByLabel('Permissions, one per line: action and scope').fill('teams:read teams:*');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByText('Role custom:team-readers created').waitFor();
    await page.locator('article[data-role="custom:team-readers"]').getByText('teams:read').waitFor();
    const roles = (await inOrg('GET', '/api/access-control/roles')).body as { uid: string; name: string }[];
    const role = roles.find((r) => r.name === 'custom:team-readers')!;
    assert.ok(role);

    assert.equal((await asNell()).status, 403);
    await page.getByLabel('Member whose roles to show').selectOption(String(nellId));
    await page.getByText('No custom roles: only the basic role.').waitFor();
    await page.getByLabel('Role to give').selectOption(role.uid);
    await page.getByRole('button', { name: 'Give role' }).click();
    await page.locator('[data-held-role="custom:team-readers"]').waitFor();
    assert.equal((await asNell()).status, 200);

    await page.getByRole('button', { name: 'Take custom:team-readers away' }).click();
    await page.getByText('No custom roles: only the basic role.').waitFor();
    assert.equal((await asNell()).status, 403);

    await page.getByRole('button', { name: 'Delete role custom:team-readers' }).click();
    await page.getByRole('button', { name: 'Delete role', exact: true }).click();
    await page.getByText('No custom roles yet.').waitFor();
    assert.equal((await inOrg('GET', `/api/access-control/roles/${role.uid}`)).status, 404);
  });

  it('a bad action is refused with the server message, nothing created', T, async () => {
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.goto(`${env.base}/orgs/${orgId}/roles`);
    await page.getByLabel('Role name').fill('custom:bad');
    await page.getByLabel('Permissions, one per line: action and scope').fill('dashboards:fly');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByText('unknown action "dashboards:fly"').waitFor();
    const names = ((await inOrg('GET', '/api/access-control/roles')).body as { name: string }[]).map((r) => r.name);
    assert.ok(!names.includes('custom:bad'));
  });
});
