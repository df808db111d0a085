// Every OnCall and native route is in the OpenAPI document with a summary, tags and responses.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('OpenAPI document for /api/v1 and /api/roster/v1', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('documents each operation', async () => {
    const r = await t.request('GET', '/api/openapi.json');
    assert.equal(r.status, 200);
    const ops = Object.entries<Record<string, { summary?: string; tags?: string[]; responses?: object }>>(r.body.paths)
      .filter(([path]) => path.startsWith('/api/v1/') || path.startsWith('/api/roster/v1/'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })));
    assert.deepEqual(ops.map((o) => o.id).sort(), [
      'DELETE /api/roster/v1/orgs/{orgId}/scim-tokens/{tokenId}',
      'DELETE /api/roster/v1/orgs/{orgId}/webhooks/{webhookId}',
      'DELETE /api/roster/v1/users/{userId}/two-factor',
      'GET /api/roster/v1/audit',
      'GET /api/roster/v1/events',
      'GET /api/roster/v1/orgs/{orgId}/scim-tokens',
      'GET /api/roster/v1/orgs/{orgId}/settings',
      'GET /api/roster/v1/orgs/{orgId}/webhooks',
      'GET /api/roster/v1/orgs/{orgId}/webhooks/{webhookId}',
      'GET /api/roster/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries',
      'GET /api/roster/v1/user/two-factor',
      'GET /api/roster/v1/users/{userId}/contact',
      'GET /api/v1/organizations',
      'GET /api/v1/organizations/{id}',
      'GET /api/v1/teams',
      'GET /api/v1/teams/{id}',
      'GET /api/v1/users',
      'GET /api/v1/users/current',
      'GET /api/v1/users/{id}',
      'PATCH /api/roster/v1/orgs/{orgId}/settings',
      'PATCH /api/roster/v1/orgs/{orgId}/webhooks/{webhookId}',
      'PATCH /api/roster/v1/users/{userId}/contact',
      'PATCH /api/v1/organizations/{id}',
      'POST /api/roster/v1/invites/{id}/accept',
      'POST /api/roster/v1/orgs/{orgId}/integrations',
      'POST /api/roster/v1/orgs/{orgId}/scim-tokens',
      'POST /api/roster/v1/orgs/{orgId}/webhook-deliveries/{deliveryId}/resend',
      'POST /api/roster/v1/orgs/{orgId}/webhooks',
      'POST /api/roster/v1/user/two-factor/confirm',
      'POST /api/roster/v1/user/two-factor/disable',
      'POST /api/roster/v1/user/two-factor/enrolment',
      'PUT /api/v1/organizations/{id}',
    ]);
    for (const { id, op } of ops) {
      assert.ok(op.summary, `${id} has a summary`);
      assert.ok(op.tags?.length, `${id} has tags`);
      assert.ok(
        Object.keys(op.responses ?? {}).some((code) => code.startsWith('2')),
        `${id} documents its success`,
      );
    }
  });
});
