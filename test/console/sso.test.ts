// The console's single sign-on in Chromium against a real OpenID provider (oidc-provider,
// in-process): "Sign in with <name>", a refusal shown on the sign-in page, auto-login, and a
// team's external groups edited on its page and applied at the next sign-in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { http, signIn, startConsole, type ConsoleEnv } from './browser.ts';
import { freePort, startProvider, type TestProvider } from '../helpers/oidc.ts';

describe('console: single sign-on', () => {
  let op: TestProvider;
  let env: ConsoleEnv;
  let auto: ConsoleEnv;

  /** At the provider's (development) sign-in form: signs in as `account`. */
  async function atProvider(page: Page, account: string) {
    await page.locator('input[name="login"]').fill(account);
    await page.locator('input[name="password"]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();
  }

  before(async () => {
    const [port, autoPort] = [await freePort(), await freePort()];
    op = await startProvider([`http://127.0.0.1:${port}/login/generic_oauth`, `http://127.0.0.1:${autoPort}/login/generic_oauth`]);
    const common = { ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH: 'groups', ROSTER_OIDC_ALLOWED_DOMAINS: 'example.com', ROSTER_OIDC_ROLE_ATTRIBUTE_PATH: "contains(groups[*], 'devs') && 'Editor' || 'Viewer'" };
    env = await startConsole(op.env({ ...common, ROSTER_PUBLIC_URL: `http://127.0.0.1:${port}` }), {}, port);
    auto = await startConsole(op.env({ ...common, ROSTER_PUBLIC_URL: `http://127.0.0.1:${autoPort}`, ROSTER_OIDC_AUTO_LOGIN: 'true' }), {}, autoPort);
  });
  after(async () => {
    await env?.close();
    await auto?.close();
    await op?.close();
  });

  it('"Sign in with <name>" goes to the provider and back, signed in', async () => {
    op.accounts.set('sub-eve', { email: 'eve@example.com', name: 'Eve Example', preferred_username: 'eve', groups: ['devs'] });
    const context = await env.browser.newContext({ baseURL: env.base });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
    await atProvider(page, 'sub-eve');
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'grafana_session');
    assert.ok(cookie?.httpOnly);
    const me = await http(env, '/api/user', { headers: { cookie: `grafana_session=${cookie!.value}` } });
    assert.equal(me.body.login, 'eve');
    assert.equal(me.body.name, 'Eve Example');
    await context.close();
  });

  it('a refused sign-in comes back to the sign-in page with the reason', async () => {
    op.accounts.set('sub-out', { email: 'out@elsewhere.org', preferred_username: 'outsider' });
    const context = await env.browser.newContext({ baseURL: env.base });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
    await atProvider(page, 'sub-out');
    await page.getByRole('alert').filter({ hasText: 'The email domain "elsewhere.org" is not allowed to sign in' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.getByLabel('Login or email').waitFor();
    // Shown once: a reload does not show it again.
    await page.reload();
    await page.getByLabel('Login or email').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
    await context.close();
  });

  it('with auto-login the sign-in page goes straight to the provider', async () => {
    op.accounts.set('sub-auto', { email: 'auto@example.com', preferred_username: 'autouser' });
    const context = await auto.browser.newContext({ baseURL: auto.base });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/');
    await page.locator('input[name="login"]').waitFor();
    assert.ok(page.url().startsWith(op.issuer), page.url());
    await atProvider(page, 'sub-auto');
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await context.close();
  });

  it("a team's page links external groups; the next sign-in puts the group's members in the team", async () => {
    const team = await http(env, '/api/teams', {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from('admin:admin-secret').toString('base64'), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Platform' }),
    });
    assert.equal(team.status, 200, team.text);
    const page = await signIn(env, 'admin', 'admin-secret');
    await page.goto(`/orgs/1/teams/${team.body.teamId}`);
    await page.getByRole('heading', { name: 'External groups' }).waitFor();
    await page.getByRole('textbox', { name: 'External group' }).fill('platform-eng');
    await page.getByRole('button', { name: 'Link group' }).click();
    await page.locator('tr[data-group="platform-eng"]').waitFor();
    await page.screenshot({ path: '/tmp/roster-console-team-groups.png', fullPage: true });

    op.accounts.set('sub-pat', { email: 'pat@example.com', preferred_username: 'pat', groups: ['platform-eng'] });
    const context = await env.browser.newContext({ baseURL: env.base });
    const sso = await context.newPage();
    sso.setDefaultTimeout(15_000);
    await sso.goto('/');
    await sso.getByRole('button', { name: 'Sign in with Test IdP' }).click();
    await atProvider(sso, 'sub-pat');
    await sso.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await context.close();

    await page.reload();
    await page.locator('tr[data-login="pat"]').waitFor();
    await page.getByRole('button', { name: 'Unlink platform-eng' }).click();
    await page.getByText('No external groups').waitFor();
    await page.context().close();
  });
});
