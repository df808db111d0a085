// The org settings page says plainly which settings Roster only stores for OnCall and PostHog
// clients; the ones it enforces, the two-factor requirement among them, carry no such note.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD } from '../helpers/roster.ts';
import { signIn, startConsole, type ConsoleEnv } from './browser.ts';

const T = { timeout: 90_000 };
const NOTE = (client: string) => `Stored for ${client} clients; Roster does not enforce it.`;

describe('admin console: settings Roster enforces', () => {
  let env: ConsoleEnv;
  let orgId: number;
  before(async () => {
    env = await startConsole();
    orgId = (await env.t.request('POST', '/api/orgs', { ...env.t.admin, body: { name: 'Enforced Co' } })).body.orgId;
  });
  after(() => env?.close());

  it('the two-factor switch is offered as enforced; stored-only settings are labelled, enforced ones are not', T, async () => {
    const page = await signIn(env, 'admin', ADMIN_PASSWORD);
    await page.goto(`/orgs/${orgId}/settings`);
    const posthog = page.getByRole('form', { name: 'PostHog settings' });
    await posthog.getByLabel('Members can invite others').waitFor();
    assert.equal(await posthog.getByLabel('Require two-factor authentication').count(), 1);

    const noteOf = (form: typeof posthog, key: string) => form.locator(`.setting:has([name="${key}"]) .stored-only`);
    for (const key of ['allow_publicly_shared_resources', 'is_ai_data_processing_approved', 'default_anonymize_ips', 'default_experiment_stats_method', 'default_role_id']) {
      assert.equal(await noteOf(posthog, key).textContent(), NOTE('PostHog'), key);
    }
    for (const key of ['enforce_2fa', 'members_can_invite', 'members_can_use_personal_api_keys']) {
      assert.equal(await noteOf(posthog, key).count(), 0, `${key} is enforced`);
    }
    const oncall = page.getByRole('form', { name: 'OnCall settings' });
    assert.equal(await noteOf(oncall, 'manuallyManageDirectPagingIntegrations').textContent(), NOTE('OnCall'));
    assert.equal(await noteOf(oncall, 'phonePrivacyOverride').count(), 0, 'the phone privacy override is enforced');
    await page.context().close();
  });
});
