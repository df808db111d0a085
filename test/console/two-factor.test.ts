// Two-factor authentication in Chromium, with codes computed here: set up on the account page
// (QR code, key, first code, recovery codes shown once), sign in with the code, an org that
// requires it sending an unenrolled member to enrolment, and an admin's reset.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD } from '../helpers/roster.ts';
import { signIn, startConsole, type ConsoleEnv } from './browser.ts';

const T = { timeout: 90_000 };
const codeAt = (secret: string, offset = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offset * 30_000 });

describe('admin console: two-factor authentication', () => {
  let env: ConsoleEnv;
  const ids: Record<string, number> = {};
  before(async () => {
    env = await startConsole();
    for (const login of ['olga', 'zed']) {
      const r = await env.t.request('POST', '/api/admin/users', { ...env.t.admin, body: { login, email: `${login}@example.com`, password: `${login}-secret-1` } });
      assert.equal(r.status, 200, r.text);
      ids[login] = r.body.id;
    }
  });
  after(() => env?.close());

  /** Sets two-factor up on the account page; answers the secret. */
  const enrol = async (page: Page, password: string) => {
    const section = page.getByRole('region', { name: 'Two-factor authentication' });
    await section.getByLabel('Your password').fill(password);
    await section.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const form = section.getByRole('form', { name: 'Confirm two-factor authentication' });
    await form.getByRole('img', { name: 'QR code of your two-factor secret' }).waitFor();
    assert.match((await form.getByRole('img').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    const secret = (await form.locator('[data-secret]').textContent())!.trim();
    await form.getByLabel('Code from the app').fill('000000');
    await form.getByRole('button', { name: 'Turn on' }).click();
    await form.getByText('Invalid or already used two-factor code').waitFor();
    await form.getByLabel('Code from the app').fill(codeAt(secret));
    await form.getByRole('button', { name: 'Turn on' }).click();
    const codes = section.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.first().waitFor();
    assert.equal(await codes.count(), 10);
    await section.getByRole('button', { name: 'I have saved them' }).click();
    await section.getByText('10 of 10 recovery codes left').waitFor();
    assert.equal(await codes.count(), 0, 'the codes are not shown again');
    return secret;
  };

  it('set up on the account page; signing in then asks for the code', T, async () => {
    const page = await signIn(env, 'olga', 'olga-secret-1');
    await page.goto('/account');
    const secret = await enrol(page, 'olga-secret-1');
    await page.context().close();

    const context = await env.browser.newContext({ baseURL: env.base });
    const fresh = await context.newPage();
    fresh.setDefaultTimeout(15_000);
    await fresh.goto('/');
    await fresh.getByLabel('Login or email').fill('olga');
    await fresh.getByLabel('Password').fill('olga-secret-1');
    await fresh.getByRole('button', { name: 'Sign in', exact: true }).click();
    const code = fresh.getByLabel('Authentication code');
    await code.waitFor();
    await code.fill('123456');
    await fresh.getByRole('button', { name: 'Sign in', exact: true }).click();
    await fresh.getByText('Invalid or already used two-factor code').waitFor();
    await code.fill(codeAt(secret, 1));
    await fresh.getByRole('button', { name: 'Sign in', exact: true }).click();
    await fresh.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await context.close();
  });

  it('an org requiring two-factor sends an unenrolled member to enrolment; enrolled, they work in it', T, async () => {
    const org = await env.t.request('POST', '/api/orgs', { ...env.t.admin, body: { name: 'Vault Co' } });
    const orgId = org.body.orgId;
    assert.equal((await env.t.request('POST', `/api/orgs/${orgId}/users`, { ...env.t.admin, body: { loginOrEmail: 'zed', role: 'Admin' } })).status, 200);
    // The admin turns the requirement on in the console's org settings.
    const admin = await signIn(env, 'admin', ADMIN_PASSWORD);
    await admin.goto(`/orgs/${orgId}/settings`);
    const settings = admin.getByRole('form', { name: 'PostHog settings' });
    await settings.getByLabel('Require two-factor authentication').check();
    await settings.getByRole('button', { name: /Save/ }).click();
    await settings.getByText('PostHog settings: saved').waitFor();
    await admin.context().close();

    const context = await env.browser.newContext({ baseURL: env.base });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/');
    await page.getByLabel('Login or email').fill('zed');
    await page.getByLabel('Password').fill('zed-secret-1');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/account');
    const section = page.getByRole('region', { name: 'Two-factor authentication' });
    await section.getByText('Vault Co requires two-factor authentication').waitFor();
    await page.goto(`/orgs/${orgId}`);
    await page.getByText('An organization you belong to requires two-factor authentication').waitFor();
    await page.getByRole('link', { name: 'Set it up on your account page' }).click();
    await enrol(page, 'zed-secret-1');
    await page.goto(`/orgs/${orgId}/members`);
    await page.getByRole('heading', { name: 'Vault Co', level: 1 }).waitFor();
    assert.equal(await page.getByText('An organization you belong to requires two-factor authentication').count(), 0);
    await context.close();
  });

  it('an admin resets a user’s two-factor from the user page', T, async () => {
    // The admin created Vault Co, so is a member held off it (sent to the account page on
    // sign-in); managing users is server-wide and is not held.
    const context = await env.browser.newContext({ baseURL: env.base });
    const admin = await context.newPage();
    admin.setDefaultTimeout(15_000);
    await admin.goto('/');
    await admin.getByLabel('Login or email').fill('admin');
    await admin.getByLabel('Password').fill(ADMIN_PASSWORD);
    await admin.getByRole('button', { name: 'Sign in', exact: true }).click();
    await admin.waitForURL('**/account');
    await admin.goto(`/users/${ids.olga}`);
    await admin.getByRole('button', { name: 'Reset two-factor' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Reset two-factor' }).click();
    await admin.getByText('Two-factor authentication reset').waitFor();
    const r = await env.t.request('POST', '/login', { body: { user: 'olga', password: 'olga-secret-1' } });
    assert.equal(r.status, 200, 'the password alone signs in again');
    const trail = await env.t.roster.ctx.db.selectFrom('audit_events').select(['action', 'actor_login']).where('action', '=', 'user.2fa.reset').execute();
    assert.deepEqual(trail, [{ action: 'user.2fa.reset', actor_login: 'admin' }]);
    await admin.context().close();
  });
});
