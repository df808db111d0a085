// The console's SCIM tab in real Chromium: an org Admin mints a SCIM token shown once, an identity
// provider uses it, the Admin revokes it; a Viewer is not offered the tab.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD } from '../helpers/roster.ts';
import { http, signIn, startConsole, type ConsoleEnv } from './browser.ts';

const T = { timeout: 90_000 };

describe('console: SCIM tokens', () => {
  let env: ConsoleEnv;
  before(async () => {
    env = await startConsole();
  });
  after(() => env?.close());

  it('an Admin mints a SCIM token shown once, sees its last use, revokes it; a Viewer has no SCIM tab', T, async () => {
    const admin = env.t.admin;
    const org = await env.t.request('POST', '/api/orgs', { ...admin, body: { name: 'Scim Co' } });
    const orgId = org.body.orgId as number;
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.goto(`/orgs/${orgId}/scim`);
    await page.getByText('No SCIM tokens yet.').waitFor();
    await page.getByLabel('New SCIM token name').fill('Okta');
    await page.getByRole('button', { name: 'Add SCIM token' }).click();
    const value = page.getByLabel('Value of SCIM token Okta');
    await value.waitFor();
    const token = await value.inputValue();
    assert.match(token, /^rscim_/);
    // The identity provider's first call, with the token.
    const asIdp = await http(env, '/scim/v2/Users', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(asIdp.status, 200);
    await page.reload();
    await page.locator('tr[data-scim-token="Okta"]').waitFor();
    assert.equal(await page.getByLabel('Value of SCIM token Okta').count(), 0);
    assert.ok(!(await page.content()).includes(token));
    assert.notEqual(await page.locator('tr[data-scim-token="Okta"] td').nth(2).innerText(), 'never', 'last use is shown');

    await page.getByRole('button', { name: 'Revoke SCIM token Okta' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke SCIM token' }).click();
    await page.locator('tr[data-scim-token="Okta"]').getByText('revoked').waitFor();
    assert.equal((await http(env, '/scim/v2/Users', { headers: { authorization: `Bearer ${token}` } })).status, 401);
    await page.context().close();

    const viewer = await env.t.request('POST', '/api/admin/users', { ...admin, body: { login: 'vicky', password: 'vicky-secret-1', orgId } });
    assert.equal(viewer.status, 200, viewer.text);
    const asViewer = await signIn(env, 'vicky', 'vicky-secret-1');
    await asViewer.goto(`/orgs/${orgId}`);
    await asViewer.getByRole('link', { name: 'Teams' }).waitFor();
    assert.equal(await asViewer.getByRole('link', { name: 'SCIM' }).count(), 0);
    await asViewer.context().close();
  });
});
