// The console's Webhooks tab in Chromium: an org Admin registers an endpoint and copies its
// secret (shown once), a real receiver gets signed deliveries, the log shows them, resend sends
// one again, and the endpoint can be disabled.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { ADMIN_PASSWORD } from '../helpers/roster.ts';
import { eventually, startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';
import { signIn, startConsole, type ConsoleEnv } from './browser.ts';

const T = { timeout: 90_000 };

describe('admin console: webhooks', () => {
  let env: ConsoleEnv;
  let rx: Receiver;
  before(async () => {
    env = await startConsole({ ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true' }, { webhooks: { pollMs: 30, retryBaseMs: 40, maxBackoffMs: 200 } });
    rx = await startReceiver();
  });
  after(async () => {
    await env?.close();
    await rx?.close();
  });

  it('registers an endpoint, shows the secret once, lists signed deliveries, resends and disables', T, async () => {
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.goto('/orgs/1/webhooks');
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No webhooks yet').waitFor();
    await page.getByRole('button', { name: 'New webhook' }).click();
    const form = page.getByRole('form', { name: 'Add a webhook' });
    await form.getByLabel('URL').fill(rx.url('/console'));
    await form.getByLabel(/Event types/).fill('team.create');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.getByLabel('Signing secret').inputValue();
    assert.match(secret, /^whsec_/);
    await page.locator('tr[data-webhook]').first().waitFor();

    const team = await env.t.request('POST', '/api/teams', { ...env.t.admin, body: { name: 'Console hook team' } });
    assert.equal(team.status, 200, team.text);
    await eventually('delivered', () => rx.received.length >= 1);
    const body = new Webhook(secret).verify(rx.received[0].body, rx.received[0].headers as Record<string, string>) as { type: string };
    assert.equal(body.type, 'team.create');

    // The secret is not shown again once the page is left.
    await page.reload();
    await page.locator('tr[data-webhook]').first().waitFor();
    assert.equal(await page.getByLabel('Signing secret').count(), 0);
    assert.ok(!(await page.content()).includes(secret));

    await page.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('region', { name: /Deliveries to/ });
    await log.getByText('Delivered').waitFor();
    assert.match((await log.locator('tbody tr').first().textContent()) ?? '', /team\.create.*HTTP 200/);
    await log.getByRole('button', { name: /Resend event/ }).click();
    await eventually('resent', () => rx.received.length >= 2);
    assert.equal(rx.received[1].headers['webhook-id'], rx.received[0].headers['webhook-id']);

    await page.getByRole('button', { name: /Disable http/ }).click();
    await page.locator('tr[data-webhook]', { hasText: 'Disabled' }).waitFor();
    const listed = await env.t.request('GET', '/api/roster/v1/orgs/1/webhooks', env.t.admin);
    assert.equal(listed.body[0].enabled, false);
    await page.context().close();
  });
});
