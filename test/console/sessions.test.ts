// "Your sessions" on the account page and a user's sessions on an admin's user page, in Chromium:
// each browser context is a separate session; ending one signs that browser out.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD } from '../helpers/roster.ts';
import { signIn, startConsole, type ConsoleEnv } from './browser.ts';

const T = { timeout: 90_000 };

describe('admin console: sessions', () => {
  let env: ConsoleEnv;
  let userId: number;
  before(async () => {
    env = await startConsole();
    const r = await env.t.request('POST', '/api/admin/users', { ...env.t.admin, body: { login: 'sasha', email: 'sasha@example.com', password: 'sasha-secret-1' } });
    assert.equal(r.status, 200, r.text);
    userId = r.body.id;
  });
  after(() => env?.close());

  it('the account page lists this browser and another; ending the other signs it out', T, async () => {
    const laptop = await signIn(env, 'sasha', 'sasha-secret-1');
    const phone = await signIn(env, 'sasha', 'sasha-secret-1');
    await laptop.goto('/account');
    const section = laptop.getByRole('region', { name: 'Your sessions' });
    const rows = section.locator('tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    const current = section.locator('tr', { hasText: 'this session' });
    assert.equal(await current.count(), 1);
    assert.equal(await current.getByRole('button').count(), 0, 'this session cannot be ended from here');
    assert.match((await rows.first().textContent()) ?? '', /HeadlessChrome|Chrome/);

    await section
      .locator('tr:not(:has-text("this session"))')
      .getByRole('button', { name: /End session/ })
      .click();
    const dialog = laptop.getByRole('dialog');
    await dialog.getByRole('button', { name: 'End session' }).click();
    await section.getByText('Session ended').waitFor();
    await rows.nth(1).waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);

    // The other browser's next request finds no session: the console shows the sign-in page.
    await phone.goto('/account');
    await phone.getByRole('button', { name: 'Sign in' }).waitFor();
    await laptop.context().close();
    await phone.context().close();
  });

  it('an admin sees a user’s sessions on the user page and signs them out everywhere', T, async () => {
    const user = await signIn(env, 'sasha', 'sasha-secret-1');
    const admin = await signIn(env, 'admin', ADMIN_PASSWORD);
    await admin.goto(`/users/${userId}`);
    const section = admin.getByRole('region', { name: 'Sessions' });
    await section.locator('tbody tr').first().waitFor();
    assert.equal(await section.getByText('this session').count(), 0, 'none of them is the admin’s');
    await section.getByRole('button', { name: 'Sign out everywhere' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    await section.getByText('This user is signed in nowhere.').waitFor();
    await user.goto('/account');
    await user.getByRole('button', { name: 'Sign in' }).waitFor();
    const trail = await env.t.roster.ctx.db.selectFrom('audit_events').select('action').where('object_id', '=', String(userId)).where('action', 'in', ['user.logout', 'user.session.revoke']).execute();
    assert.deepEqual(trail.map((e) => e.action).sort(), ['user.logout', 'user.session.revoke']);
    await user.context().close();
    await admin.context().close();
  });
});
