// The account page with mail delivery: a new email waits for its link, the page says so and keeps
// showing the confirmed address; following the mailed link in the signed-in browser switches it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signIn, startConsole, type ConsoleEnv } from './browser.ts';
import { linkCode, TestSmtp } from '../helpers/smtp.ts';

const T = { timeout: 90_000 };

describe('admin console: email change with mail delivery', () => {
  let env: ConsoleEnv;
  const smtp = new TestSmtp();
  before(async () => {
    await smtp.start();
    env = await startConsole({ ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: 'Roster <roster@example.com>' }, { mail: { pollMs: 100, retryBaseMs: 100 } });
    assert.equal((await env.t.request('POST', '/api/admin/users', { ...env.t.admin, body: { login: 'quinn', email: 'quinn@example.com', password: 'quinn-secret-1' } })).status, 200);
  });
  after(async () => {
    await env?.close();
    await smtp.stop();
  });

  it('the new address is applied only once the mailed link is opened', T, async () => {
    const page = await signIn(env, 'quinn', 'quinn-secret-1');
    await page.goto('/account');
    const profile = page.getByRole('form', { name: 'Your profile' });
    await profile.getByLabel('Email').fill('quinn.new@example.com');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await profile.getByText('open the link mailed to quinn.new@example.com').waitFor();
    assert.equal(await profile.getByLabel('Email').inputValue(), 'quinn@example.com', 'the form shows the confirmed address');

    const { path } = linkCode(await smtp.waitFor('quinn.new@example.com'));
    await page.goto(path);
    await page.waitForURL('**/account');
    await page.getByRole('form', { name: 'Your profile' }).getByLabel('Email').waitFor();
    assert.equal(await page.getByRole('form', { name: 'Your profile' }).getByLabel('Email').inputValue(), 'quinn.new@example.com');
    assert.equal((await env.t.request('GET', '/api/user', { basic: ['quinn', 'quinn-secret-1'] })).body.email, 'quinn.new@example.com');
    await page.context().close();
  });
});
