// "Forgot password?" in Chromium, through a real SMTP server: ask on the sign-in page, open the
// mailed link, choose a new password, sign in with it; the browser signed in before is signed out.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signIn, startConsole, type ConsoleEnv } from './browser.ts';
import { resetLinkCode, TestSmtp } from '../helpers/smtp.ts';

const T = { timeout: 90_000 };

describe('admin console: forgot password', () => {
  let env: ConsoleEnv;
  const smtp = new TestSmtp();
  before(async () => {
    await smtp.start();
    env = await startConsole({ ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: 'Roster <roster@example.com>' }, { mail: { pollMs: 100, retryBaseMs: 100 } });
    assert.equal((await env.t.request('POST', '/api/admin/users', { ...env.t.admin, body: { login: 'remy', email: 'remy@example.com', password: 'remy-secret-1' } })).status, 200);
  });
  after(async () => {
    await env?.close();
    await smtp.stop();
  });

  it('asks for a link, sets a new password through it, and signs in with it', T, async () => {
    const earlier = await signIn(env, 'remy', 'remy-secret-1');
    const context = await env.browser.newContext({ baseURL: env.base });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/');
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    const form = page.getByRole('form', { name: 'Reset your password' });
    await form.getByLabel('Login or email').fill('remy@example.com');
    await form.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('a link to reset it is on its way').waitFor();

    const { path } = resetLinkCode(await smtp.waitFor('remy@example.com'));
    await page.goto(path);
    const choose = page.getByRole('form', { name: 'Choose a new password' });
    await choose.getByLabel('New password', { exact: true }).fill('remy-secret-2');
    await choose.getByLabel('New password again').fill('remy-secret-3');
    await choose.getByRole('button', { name: 'Set password' }).click();
    await choose.getByText('Passwords do not match').waitFor();
    await choose.getByLabel('New password again').fill('remy-secret-2');
    await choose.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password is changed').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByLabel('Login or email').fill('remy');
    await page.getByLabel('Password').fill('remy-secret-2');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();

    // The browser signed in before the reset must sign in again.
    await earlier.goto('/account');
    await earlier.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await earlier.context().close();
    await context.close();
  });
});
