// The console's org settings, integrations and audit trail tabs, and the account page (contact
// data, personal API keys), in real headless Chromium against a real server: every change made
// in the browser is checked through the API, and a plain member's view is read-only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, DB_KIND } from '../helpers/roster.ts';
import { http, signIn, startConsole, type ConsoleEnv } from './browser.ts';

const T = { timeout: 90_000 };

describe('admin console: settings, integrations, audit, account', () => {
  let env: ConsoleEnv;
  let orgId: number;
  before(async () => {
    env = await startConsole();
    const api = (method: string, url: string, body?: unknown) => env.t.request(method, url, { ...env.t.admin, body });
    orgId = (await api('POST', '/api/orgs', { name: 'Settings Co' })).body.orgId;
    assert.equal((await api('POST', '/api/admin/users', { login: 'dana', email: 'dana@example.com', password: 'dana-secret-1', orgId })).status, 200);
  });
  after(() => env?.close());

  /** As the admin, acting in the test org. */
  const inOrg = (method: string, url: string, body?: unknown) => env.t.request(method, url, { ...env.t.admin, headers: { 'x-grafana-org-id': String(orgId) }, body });

  it('admin: settings change is stored (native and PostHog) and shows in the audit trail', T, async () => {
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Settings Co' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();

    const paging = page.getByLabel('Manage direct paging integrations manually');
    await paging.waitFor();
    assert.equal(await paging.isChecked(), false);
    const save = page.getByRole('button', { name: 'Save OnCall settings' });
    assert.equal(await save.isDisabled(), true, 'nothing to save before a change');
    await paging.check();
    await save.click();
    await page.getByText('OnCall settings: saved').waitFor();
    const native = await inOrg('GET', `/api/roster/v1/orgs/${orgId}/settings`);
    assert.deepEqual(native.body, { manuallyManageDirectPagingIntegrations: true, phonePrivacyOverride: false });

    await page.getByLabel('Default experiment statistics').selectOption('frequentist');
    const anonymize = page.getByLabel('Anonymize IP addresses in new projects');
    const anonymizeBefore = await anonymize.isChecked();
    await anonymize.setChecked(!anonymizeBefore);
    await page.getByRole('button', { name: 'Save PostHog settings' }).click();
    await page.getByText('PostHog settings: saved').waitFor();
    const ph = await inOrg('GET', '/api/organizations/@current');
    assert.equal(ph.body.name, 'Settings Co');
    assert.equal(ph.body.default_experiment_stats_method, 'frequentist');
    assert.equal(ph.body.default_anonymize_ips, !anonymizeBefore);
    await page.screenshot({ path: `/tmp/roster-console-settings-1280-${DB_KIND}.png`, fullPage: true });

    // The audit trail lists both changes, newest first, pages back by cursor, and filters by action.
    // 13 teams are 26 events (each creator joins their team): more than a page of 25.
    for (let i = 0; i < 13; i++) assert.equal((await inOrg('POST', '/api/teams', { name: `team-${i}` })).status, 200);
    await page.getByRole('link', { name: 'Audit trail' }).click();
    const rows = page.locator('tr[data-action="org.settings.update"]');
    await page.locator('tr[data-action="team.create"]').first().waitFor();
    assert.equal(await page.locator('tbody tr').count(), 25, 'a page of 25');
    await page.getByRole('button', { name: 'Older' }).click();
    await rows.nth(1).waitFor();
    await page.locator('tr[data-action="org.create"]').waitFor();
    await page.getByRole('button', { name: 'Newer' }).click();
    await page.locator('tr[data-action="org.create"]').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Older' }).click();
    await rows.first().getByText('Details').click();
    await rows.first().getByText('frequentist').first().waitFor();
    await page.getByLabel('Action').fill('org.create');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await rows.first().waitFor({ state: 'detached' });
    assert.equal(await page.locator('tbody tr').count(), 1);
    await page.screenshot({ path: `/tmp/roster-console-audit-1280-${DB_KIND}.png`, fullPage: true });
    await page.context().close();
  });

  it('admin: an integration is added, listed and disconnected; a bad one shows the API error', T, async () => {
    const made = await inOrg('POST', `/api/roster/v1/orgs/${orgId}/integrations`, { kind: 'github', integrationId: 'gh-1', config: { repo: 'acme/app' } });
    assert.equal(made.status, 201, made.text);
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.goto(`/orgs/${orgId}/integrations`);
    await page.locator('tr[data-integration="github"]').getByText('acme/app').waitFor();

    await page.getByText('New integration').click();
    await page.getByLabel('Kind').fill('slack');
    await page.getByLabel('External id (optional)').fill('T0SLACK');
    await page.getByLabel('Settings (optional JSON object)').fill('{not json');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByRole('alert').filter({ hasText: 'must be a JSON object' }).waitFor();
    await page.getByLabel('Settings (optional JSON object)').fill('{"channel": "#alerts"}');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.locator('tr[data-integration="slack"]').waitFor();
    const ph = (await inOrg('GET', '/api/organizations/@current')).body.id;
    const listed = await inOrg('GET', `/api/organizations/${ph}/integrations`);
    assert.deepEqual(listed.body.results.map((i: { kind: string; integration_id: string }) => `${i.kind}:${i.integration_id}`).sort(), ['github:gh-1', 'slack:T0SLACK']);

    await page.getByRole('button', { name: 'Disconnect github gh-1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
    await page.locator('tr[data-integration="github"]').waitFor({ state: 'detached' });
    assert.equal((await inOrg('GET', `/api/organizations/${ph}/integrations/${made.body.id}`)).status, 404);
    await page.context().close();
  });

  it('a plain member sees settings and integrations read-only, and no audit trail (phone width)', T, async () => {
    const page = await signIn(env, 'dana', 'dana-secret-1', { width: 390, height: 844 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.goto(`/orgs/${orgId}/settings`);
    await page.getByText('Read-only: only the organization’s admins change its settings').waitFor();
    const paging = page.getByLabel('Manage direct paging integrations manually');
    await paging.waitFor();
    assert.equal(await paging.isChecked(), true, 'the admin’s change is visible');
    assert.equal(await paging.isDisabled(), true);
    await page.getByLabel('Default experiment statistics').waitFor();
    assert.equal(await page.getByLabel('Default experiment statistics').isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: /Save/ }).count(), 0);
    await page.screenshot({ path: `/tmp/roster-console-settings-390-${DB_KIND}.png`, fullPage: true });
    assert.ok((await overflow()) <= 0, 'no sideways scrolling of the settings at 390px');

    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.locator('tr[data-integration="slack"]').waitFor();
    assert.equal(await page.getByRole('button', { name: /Disconnect|Add integration/ }).count(), 0);
    assert.equal(await page.getByText('New integration').count(), 0);
    await page.screenshot({ path: `/tmp/roster-console-integrations-390-${DB_KIND}.png`, fullPage: true });
    assert.ok((await overflow()) <= 0, 'no sideways scrolling of the integrations at 390px');

    // The audit trail is not offered to a plain member; its address explains why.
    assert.equal(await page.getByRole('link', { name: 'Audit trail' }).count(), 0);
    await page.goto(`/orgs/${orgId}/audit`);
    await page.getByText("Only the organization's admins see its audit trail").waitFor();
    await page.context().close();
  });

  it('account: a personal API key is shown once, works, is listed with its last use, and is revoked', T, async () => {
    const page = await signIn(env, 'dana', 'dana-secret-1');
    await page.getByRole('link', { name: 'Your account: dana' }).click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await page.getByText('No personal API keys yet').waitFor();

    await page.getByText('New personal API key').click();
    await page.getByLabel('Key label').fill('reporting');
    await page.getByLabel('Chosen scopes').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('alert').filter({ hasText: 'Choose at least one scope' }).waitFor();
    await page.getByLabel('Organizations', { exact: true }).selectOption('read');
    await page.getByLabel('Settings Co').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const value = page.getByLabel('Value of key reporting');
    await value.waitFor();
    const key = await value.inputValue();
    assert.match(key, /^phx_/);
    const row = page.locator('tr[data-key="reporting"]');
    await row.getByText('organization:read').waitFor();
    await row.getByText('Settings Co').waitFor();

    // The key works, within its scope.
    const ok = await http(env, '/api/organizations/', { headers: { authorization: `Bearer ${key}` } });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(
      ok.body.results.map((o: { name: string }) => o.name),
      ['Settings Co'],
    );
    const stored = await env.t.request('GET', '/api/personal_api_keys', { basic: ['dana', 'dana-secret-1'] });
    assert.deepEqual(
      stored.body.map((k: { label: string; scopes: string[] }) => [k.label, k.scopes]),
      [['reporting', ['organization:read']]],
    );

    // Shown once: after a reload only its mask and last use are listed.
    await page.reload();
    await row.waitFor();
    assert.equal(await page.getByLabel('Value of key reporting').count(), 0);
    assert.ok(!(await page.content()).includes(key));
    assert.notEqual(await row.locator('td').nth(4).innerText(), 'never', 'last use is shown');
    await page.screenshot({ path: `/tmp/roster-console-account-1280-${DB_KIND}.png`, fullPage: true });

    await page.getByRole('button', { name: 'Revoke key reporting' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByText('No personal API keys yet').waitFor();
    assert.equal((await http(env, '/api/organizations/', { headers: { authorization: `Bearer ${key}` } })).status, 401);
    await page.context().close();
  });

  it('account: lists your orgs; edits your name; changes your password (a wrong current one is refused) and keeps you signed in', T, async () => {
    assert.equal((await env.t.request('POST', '/api/admin/users', { ...env.t.admin, body: { login: 'pat', password: 'pat-secret-1', orgId } })).status, 200);
    const page = await signIn(env, 'pat', 'pat-secret-1');
    await page.goto('/account');
    await page.getByRole('region', { name: 'Your organizations' }).getByRole('link', { name: 'Settings Co' }).waitFor();
    const profile = page.getByRole('form', { name: 'Your profile' });
    await profile.getByLabel('Name').fill('Pat Park');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await profile.getByText('Profile saved').waitFor();
    const me = (await env.t.request('GET', '/api/user', { basic: ['pat', 'pat-secret-1'] })).body;
    assert.deepEqual([me.login, me.name], ['pat', 'Pat Park']);
    // This server sends no mail, so a new address cannot be confirmed: the server's reason is shown.
    await profile.getByLabel('Email').fill('pat.new@example.com');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await profile.getByRole('alert').filter({ hasText: 'this server cannot send mail' }).waitFor();
    assert.equal((await env.t.request('GET', '/api/user', { basic: ['pat', 'pat-secret-1'] })).body.email, 'pat');
    const form = page.getByRole('form', { name: 'Change your password' });
    await form.getByLabel('Current password').fill('not-it');
    await form.getByLabel('New password', { exact: true }).fill('pat-secret-2');
    await form.getByLabel('New password again').fill('pat-secret-2');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('alert').filter({ hasText: 'Invalid old password' }).waitFor();
    await form.getByLabel('Current password').fill('pat-secret-1');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Password changed').waitFor();
    assert.equal(await form.getByLabel('Current password').inputValue(), '', 'the fields are cleared');
    assert.equal((await env.t.request('GET', '/api/user', { basic: ['pat', 'pat-secret-1'] })).status, 401);
    assert.equal((await env.t.request('GET', '/api/user', { basic: ['pat', 'pat-secret-2'] })).status, 200);
    await page.reload();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await page.context().close();
  });

  it('contact data: a user edits their own (API errors shown); an admin verifies a number on the user page', T, async () => {
    const page = await signIn(env, 'dana', 'dana-secret-1', { width: 390, height: 844 });
    await page.goto('/account');
    await page.getByLabel('Time zone').fill('Europe/Paris');
    await page.getByLabel('Phone number', { exact: true }).fill('12');
    await page.getByRole('button', { name: 'Add Slack identity' }).click();
    await page.getByLabel('Slack user id 1').fill('U0DANA');
    await page.getByLabel('Slack team id 1').fill('T0ACME');
    assert.equal(await page.getByLabel('Phone number verified').isDisabled(), true, 'only admins verify');
    await page.getByRole('button', { name: 'Save contact' }).click();
    await page.getByRole('alert').filter({ hasText: 'E.164' }).waitFor();
    await page.getByLabel('Phone number', { exact: true }).fill('+33612345678');
    await page.getByLabel('Keep the phone number private').check();
    await page.getByRole('button', { name: 'Save contact' }).click();
    await page.getByText('Contact saved').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.screenshot({ path: `/tmp/roster-console-account-390-${DB_KIND}.png`, fullPage: true });
    assert.ok(overflow <= 0, `no sideways scrolling at 390px (overflow ${overflow}px)`);
    await page.context().close();

    const dana = (await env.t.request('GET', '/api/users/lookup?loginOrEmail=dana', env.t.admin)).body.id;
    const contact = await env.t.request('GET', `/api/roster/v1/users/${dana}/contact`, env.t.admin);
    assert.equal(contact.status, 200, contact.text);
    assert.deepEqual(
      { tz: contact.body.timezone, phone: contact.body.phone_number, priv: contact.body.phone_private, verified: contact.body.phone_verified, slack: contact.body.slack },
      { tz: 'Europe/Paris', phone: '+33612345678', priv: true, verified: false, slack: [{ user_id: 'U0DANA', team_id: 'T0ACME' }] },
    );

    const admin = await signIn(env, 'admin', ADMIN_PASSWORD);
    await admin.goto(`/users/${dana}`);
    const verified = admin.getByLabel('Phone number verified');
    await verified.waitFor();
    assert.equal(await admin.getByLabel('Time zone').inputValue(), 'Europe/Paris');
    await verified.check();
    await admin.getByRole('button', { name: 'Remove Slack identity 1' }).click();
    await admin.getByRole('button', { name: 'Save contact' }).click();
    await admin.getByText('Contact saved').waitFor();
    const after = (await env.t.request('GET', `/api/roster/v1/users/${dana}/contact`, env.t.admin)).body;
    assert.deepEqual([after.phone_verified, after.slack], [true, []]);
    await admin.context().close();
  });
});
