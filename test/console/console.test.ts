// The admin console in real headless Chromium against a real server on a real port: the main
// flows of issue 7 (sign in, orgs, members, roles, tokens shown once, users), a plain Viewer's
// read-only view, and the layout at laptop and phone widths.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, DB_KIND } from '../helpers/roster.ts';
import { http, signIn, startConsole, type ConsoleEnv } from './browser.ts';

const T = { timeout: 90_000 };

describe('admin console', () => {
  let env: ConsoleEnv;
  before(async () => {
    env = await startConsole();
  });
  after(() => env?.close());

  const api = (method: string, url: string, body?: unknown) => env.t.request(method, url, { ...env.t.admin, body });

  it('serves the app at / and on deep links; API 404s stay JSON; hashed assets are cached', T, async () => {
    const root = await http(env, '/');
    assert.equal(root.status, 200);
    assert.match(root.headers.get('content-type') ?? '', /text\/html/);
    assert.match(root.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const deep = await http(env, '/orgs/42/members');
    assert.equal(deep.status, 200);
    assert.equal(deep.text, root.text);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(root.text)?.[1];
    assert.ok(asset, 'index.html references a built script');
    const js = await http(env, asset);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    // No CDN: every script and stylesheet is served from this server.
    assert.doesNotMatch(root.text, /(src|href)="https?:/);
    const missing = await http(env, '/api/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.statusCode, 404);
    assert.equal((await http(env, '/assets/nope.js')).status, 404);
  });

  it('a wrong password shows the server message; then signing in works', T, async () => {
    const context = await env.browser.newContext({ baseURL: env.base });
    const page = await context.newPage();
    await page.goto('/orgs');
    await page.getByLabel('Login or email').fill('admin');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid username or password' }).waitFor();
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Organizations' }).waitFor();
    assert.ok((await context.cookies()).some((c) => c.name === 'grafana_session' && c.httpOnly));
    await page.getByRole('link', { name: 'Main Org.' }).waitFor();
    await context.close();
  });

  it('admin: create an org, add a member, change a role, mint a token shown once, delete the org', T, async () => {
    assert.equal((await api('POST', '/api/admin/users', { login: 'bob', email: 'bob@example.com', password: 'bob-secret-1' })).status, 200);
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);

    // Create
    await page.getByText('New organization').click();
    await page.getByLabel('Organization name').fill('Acme');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Acme', level: 1 }).waitFor();
    const orgId = Number(/\/orgs\/(\d+)/.exec(page.url())?.[1]);
    assert.ok(orgId > 1);
    await page.getByText('Your role: Admin').waitFor();

    // A duplicate name: the API's message is shown.
    await page.getByRole('link', { name: '← Organizations' }).click();
    await page.getByText('New organization').click();
    await page.getByLabel('Organization name').fill('Acme');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /name taken/i })
      .waitFor();
    await page.getByRole('link', { name: 'Acme' }).click();

    // Add a member; an unknown user shows the server's error.
    await page.getByLabel('Login or email of an existing user').fill('nobody');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('alert').filter({ hasText: 'User not found' }).waitFor();
    await page.getByLabel('Login or email of an existing user').fill('bob');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('Added bob as Viewer').waitFor();
    const role = page.getByLabel('Role of bob');
    await role.waitFor();
    assert.equal(await role.inputValue(), 'Viewer');

    // Change the role inline.
    await role.selectOption('Editor');
    await page.getByText('Role changed to Editor').waitFor();
    const members = await api('GET', `/api/orgs/${orgId}/users`);
    assert.equal(members.body.find((m: { login: string }) => m.login === 'bob').role, 'Editor');

    // A team, created in this org (not the admin's current org).
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByLabel('Team name').fill('Platform');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.locator('tr[data-team="Platform"]').waitFor();
    const teams = await env.t.request('GET', '/api/teams/search', { ...env.t.admin, headers: { 'x-grafana-org-id': String(orgId) } });
    assert.deepEqual(
      teams.body.teams.map((x: { name: string }) => x.name),
      ['Platform'],
    );

    // A service account and a token whose value is shown exactly once.
    await page.getByRole('link', { name: 'Service accounts' }).click();
    await page.getByLabel('Service account name').fill('ci');
    await page.getByRole('button', { name: 'Create service account' }).click();
    await page.locator('article[data-sa="ci"]').waitFor();
    await page.getByLabel('New token name for ci').fill('deploy');
    await page.getByRole('button', { name: 'Add token' }).click();
    const value = page.getByLabel('Value of token deploy');
    await value.waitFor();
    const key = await value.inputValue();
    assert.match(key, /^glsa_/);
    await page.screenshot({ path: `/tmp/roster-console-token-1280-${DB_KIND}.png`, fullPage: true });
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
    await page.locator('tr[data-token="deploy"]').waitFor();
    // The token works, in its org.
    const asToken = await http(env, '/api/org', { headers: { authorization: `Bearer ${key}` } });
    assert.deepEqual([asToken.status, asToken.body.id], [200, orgId]);
    // Not again after a reload: only its name, created time and last use are listed.
    await page.reload();
    await page.locator('tr[data-token="deploy"]').waitFor();
    assert.equal(await page.getByLabel('Value of token deploy').count(), 0);
    assert.ok(!(await page.content()).includes(key));
    assert.notEqual(await page.locator('tr[data-token="deploy"] td').nth(2).innerText(), 'never', 'last use is shown');

    // Delete the org, with confirmation; Cancel first changes nothing.
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Delete Acme?').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await api('GET', `/api/orgs/${orgId}`)).status, 200);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete organization' }).click();
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Main Org.' }).waitFor();
    await page.getByRole('link', { name: 'Acme' }).waitFor({ state: 'detached' });
    assert.equal((await api('GET', `/api/orgs/${orgId}`)).status, 404);
    const tokenGone = await http(env, '/api/org', { headers: { authorization: `Bearer ${key}` } });
    assert.equal(tokenGone.status, 401);
    await page.context().close();
  });

  it('admin: deleting your current org switches you to another first; renaming inline', T, async () => {
    const created = await api('POST', '/api/orgs', { name: 'Temp' });
    const tempId = created.body.orgId;
    assert.equal((await api('POST', `/api/user/using/${tempId}`)).status, 200);
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Rename Temp' }).click();
    await page.getByLabel('New name').fill('Temporary');
    await page.getByLabel('New name').press('Enter');
    await page.getByRole('link', { name: 'Temporary' }).waitFor();
    assert.equal((await api('GET', `/api/orgs/${tempId}`)).body.name, 'Temporary');
    await page.getByRole('button', { name: 'Delete Temporary' }).click();
    await page.getByRole('dialog').getByText('It is your current organization').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete organization' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Temporary' }).waitFor({ state: 'detached' });
    assert.equal((await api('GET', `/api/orgs/${tempId}`)).status, 404);
    assert.notEqual((await api('GET', '/api/user')).body.orgId, tempId);
    await page.context().close();
  });

  it('admin: a team page adds an org member by login, makes them team admin and removes them', T, async () => {
    const orgId = (await api('POST', '/api/orgs', { name: 'Team Co' })).body.orgId;
    assert.equal((await api('POST', '/api/admin/users', { login: 'tess', email: 'tess@example.com', password: 'tess-secret-1', orgId })).status, 200);
    const inOrg = { ...env.t.admin, headers: { 'x-grafana-org-id': String(orgId) } };
    const teamId = (await env.t.request('POST', '/api/teams', { ...inOrg, body: { name: 'Ops' } })).body.teamId;
    const members = async () => (await env.t.request('GET', `/api/teams/${teamId}/members`, inOrg)).body.map((m: { login: string; permission: number }) => [m.login, m.permission]);

    const start = await members(); // the creator may be in it already, as Grafana does

    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.goto(`/orgs/${orgId}/teams`);
    await page.getByRole('link', { name: 'Ops' }).click();
    await page.getByRole('heading', { name: 'Ops', level: 1 }).waitFor();
    const row = page.locator('tr[data-login="tess"]');
    const who = page.getByLabel('Login or email of an organization member');
    await who.fill('nobody');
    await who.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Add them on the Members tab first' }).waitFor();
    await who.fill('TESS@example.com');
    await who.press('Enter');
    await page.getByText('Added tess to the team').waitFor();
    await page.getByLabel('Team role of tess').selectOption({ label: 'Admin' });
    await page.getByText('Now a team admin').waitFor();
    assert.deepEqual(await members(), [...start, ['tess', 4]]);
    await page.getByRole('button', { name: 'Remove tess from the team' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove from team' }).click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(await members(), start);
    await page.context().close();
  });

  it('admin: users — create, search, disable and enable, grant and revoke server admin, reset password, orgs and teams', T, async () => {
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByText('New user').click();
    await page.getByLabel('Login', { exact: true }).fill('carol');
    await page.getByLabel('Email').fill('carol@example.com');
    await page.getByLabel('Name').fill('Carol C');
    await page.getByLabel('Password').fill('carol-secret-1');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: 'carol', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Main Org.' }).waitFor();
    const userId = Number(/\/users\/(\d+)/.exec(page.url())?.[1]);

    // Search
    await page.getByRole('link', { name: '← Users' }).click();
    await page.getByLabel('Search users').fill('caro');
    await page.locator('tr[data-login="carol"]').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await page.getByRole('link', { name: 'carol' }).click();

    // Disable, enable
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await page.getByText('User disabled').waitFor();
    assert.equal((await api('GET', `/api/users/${userId}`)).body.isDisabled, true);
    assert.equal((await env.t.request('POST', '/login', { body: { user: 'carol', password: 'carol-secret-1' } })).status, 401);
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable' }).click();
    await page.getByText('User enabled').waitFor();
    assert.equal((await api('GET', `/api/users/${userId}`)).body.isDisabled, false);

    // Server admin
    await page.getByRole('button', { name: 'Grant server admin' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Grant server admin' }).click();
    await page.getByText('Server admin granted').waitFor();
    assert.equal((await api('GET', `/api/users/${userId}`)).body.isGrafanaAdmin, true);
    await page.getByRole('button', { name: 'Revoke server admin' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke server admin' }).click();
    await page.getByText('Server admin revoked').waitFor();
    assert.equal((await api('GET', `/api/users/${userId}`)).body.isGrafanaAdmin, false);

    // Password: a too-short one shows the server's message; a good one works for sign-in.
    await page.getByLabel('New password').fill('x');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('alert').filter({ hasText: 'New password is too short' }).waitFor();
    await page.getByLabel('New password').fill('carol-new-secret');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Password updated').waitFor();
    assert.equal((await env.t.request('POST', '/login', { body: { user: 'carol', password: 'carol-new-secret' } })).status, 200);

    // Teams show up with their org.
    const team = await env.t.request('POST', '/api/teams', { ...env.t.admin, body: { name: 'Ops' } });
    assert.equal(team.status, 200, team.text);
    const joined = await env.t.request('POST', `/api/teams/${team.body.teamId}/members`, { ...env.t.admin, body: { userId } });
    assert.equal(joined.status, 200, joined.text + JSON.stringify((await api('GET', '/api/user')).body));
    await page.reload();
    await page.getByText('Ops').waitFor();
    await page.getByText('in Main Org.').waitFor();
    await page.context().close();
  });

  it('a plain Viewer sees only their org, read-only, and no admin pages', T, async () => {
    const org = await api('POST', '/api/orgs', { name: 'Viewers Inc' });
    const orgId = org.body.orgId;
    assert.equal((await api('POST', '/api/admin/users', { login: 'vera', password: 'vera-secret-1', orgId })).status, 200);
    const team = await env.t.request('POST', '/api/teams', { ...env.t.admin, headers: { 'x-grafana-org-id': String(orgId) }, body: { name: 'Readers' } });
    assert.equal(team.status, 200);
    const vera = (await api('GET', '/api/users/lookup?loginOrEmail=vera')).body.id;
    assert.equal((await env.t.request('POST', `/api/teams/${team.body.teamId}/members`, { ...env.t.admin, headers: { 'x-grafana-org-id': String(orgId) }, body: { userId: vera } })).status, 200);

    const page = await signIn(env, 'vera', 'vera-secret-1');
    const rows = page.locator('tbody tr');
    await page.getByRole('link', { name: 'Viewers Inc' }).waitFor();
    assert.equal(await rows.count(), 1, 'only their own org is listed');
    assert.equal(await page.getByText('New organization').count(), 0);
    assert.equal(await page.getByRole('button', { name: /Rename|Delete/ }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0);

    // The org opens on the first tab a Viewer can use; admin-only tabs are not offered.
    await page.getByRole('link', { name: 'Viewers Inc' }).click();
    await page.getByText('Your role: Viewer').waitFor();
    await page.locator('tr[data-team="Readers"]').waitFor();
    const tabs = page.getByRole('navigation', { name: 'Organization sections' }).getByRole('link');
    assert.deepEqual(await tabs.allInnerTexts(), ['Teams', 'Integrations', 'Settings']);
    assert.equal(
      await page
        .getByRole('button')
        .filter({ hasText: /Rename|Delete|Add member/ })
        .count(),
      0,
    );
    await page.screenshot({ path: `/tmp/roster-console-viewer-teams-1280-${DB_KIND}.png`, fullPage: true });
    assert.equal(await page.getByLabel('Team name').count(), 0);
    assert.equal(await page.getByRole('button', { name: /Delete|Create/ }).count(), 0);
    await page.goto(`/orgs/${orgId}/members`);
    await page.getByText("Only the organization's admins see its members").waitFor();
    await page.goto(`/orgs/${orgId}/service-accounts`);
    await page.getByText("Only the organization's admins manage its service accounts").waitFor();

    // Admin pages and other orgs are not theirs: the console says so, the server refuses.
    await page.goto('/users');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.goto('/orgs/1');
    await page.getByRole('alert').waitFor();
    await page.context().close();
  });

  it('signing out ends the session and shows the sign-in page', T, async () => {
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Roster' }).waitFor();
    assert.ok(!(await page.context().cookies()).some((c) => c.name === 'grafana_session' && c.value));
    await page.goto('/orgs');
    await page.getByRole('heading', { name: 'Sign in to Roster' }).waitFor();
    await page.context().close();
  });

  it('is readable at laptop (1280px) and phone (390px) widths, and usable by keyboard', T, async () => {
    const org = await api('POST', '/api/orgs', { name: 'Layout Co' });
    const orgId = org.body.orgId;
    await api('POST', `/api/orgs/${orgId}/users`, { loginOrEmail: 'bob', role: 'Editor' });
    const inOrg = { ...env.t.admin, headers: { 'x-grafana-org-id': String(orgId) } };
    const sa = await env.t.request('POST', '/api/serviceaccounts', { ...inOrg, body: { name: 'grafana-sync', role: 'Editor' } });
    await env.t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...inOrg, body: { name: 'nightly', secondsToLive: 86400 } });
    for (const [width, height] of [
      [1280, 900],
      [390, 844],
    ]) {
      const page = await signIn(env, 'admin', ADMIN_PASSWORD, { width, height });
      await page.goto(`/orgs/${orgId}/members`);
      await page.getByLabel('Role of bob').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await page.screenshot({ path: `/tmp/roster-console-members-${width}-${DB_KIND}.png`, fullPage: true });
      assert.ok(overflow <= 0, `no sideways scrolling of the page at ${width}px (overflow ${overflow}px)`);
      await page.goto(`/orgs/${orgId}/service-accounts`);
      await page.locator('tr[data-token="nightly"]').waitFor();
      await page.screenshot({ path: `/tmp/roster-console-sa-${width}-${DB_KIND}.png`, fullPage: true });
      await page.goto('/orgs');
      await page.getByRole('link', { name: 'Layout Co' }).waitFor();
      await page.screenshot({ path: `/tmp/roster-console-orgs-${width}-${DB_KIND}.png`, fullPage: true });
      await page.context().close();
    }

    // Keyboard only: tab to the org link, open it with Enter, reach the role picker.
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    let found = false;
    for (let i = 0; i < 30 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.textContent === 'Layout Co');
    }
    assert.ok(found, 'the org link is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Layout Co', level: 1 }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the new page heading');

    // Enter opens a confirmation on its safe choice; Escape closes it and gives focus back.
    const remove = page.getByRole('button', { name: 'Remove bob' });
    await remove.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // The browser may close the dialog a frame before the app unmounts it: wait for the focus to settle.
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Remove bob', null, { timeout: 2000 }).catch(() => {});
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Remove bob', 'focus returns to the opener');

    // A list that failed to load says so and loads again on "Try again".
    await page.route('**/api/teams/search*', (route) => route.fulfill({ status: 500, body: 'down' }));
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('alert').filter({ hasText: 'The server failed (500)' }).waitFor();
    await page.unroute('**/api/teams/search*');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('No teams yet. Create the first one above').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
    await page.context().close();
  });
});
