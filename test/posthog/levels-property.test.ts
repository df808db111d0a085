// Property: whatever sequence of PostHog level changes, removals and leaves members attempt, every
// org keeps an owner, owners stay Admins, and nobody ends above what the rules allow.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addToOrg, makeUser, orgNumericId, type TestUser } from './fixture.ts';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('PostHog level rules: invariants under random operations', () => {
  let t: TestRoster;
  let users: TestUser[];
  before(async () => {
    t = await startRoster({ ROSTER_ALLOW_ORG_CREATE: 'true' });
    users = [];
    for (const login of ['p0', 'p1', 'p2', 'p3']) users.push(await makeUser(t, login));
  });
  after(() => t.close());

  const op = fc.record({
    actor: fc.integer({ min: 0, max: 3 }),
    target: fc.integer({ min: 0, max: 3 }),
    kind: fc.constantFrom('level', 'remove'),
    level: fc.constantFrom(1, 8, 15),
  });

  it('every org keeps an owner who is an Admin; only allowed answers come back', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        round++;
        const created = await t.request('POST', '/api/organizations/', { ...users[0].creds, body: { name: `Prop ${round}` } });
        assert.equal(created.status, 201);
        const uuid = created.body.id;
        const orgId = await orgNumericId(t, uuid);
        await addToOrg(t, orgId, 'p1', 'Admin');
        await addToOrg(t, orgId, 'p2', 'Editor');
        await addToOrg(t, orgId, 'p3', 'Viewer');
        for (const o of ops) {
          const actor = users[o.actor];
          const target = users[o.target];
          const url = `/api/organizations/${uuid}/members/${target.uuid}/`;
          const r = o.kind === 'level' ? await t.request('PATCH', url, { ...actor.creds, body: { level: o.level } }) : await t.request('DELETE', url, actor.creds);
          assert.ok([200, 204, 400, 403, 404].includes(r.status), `${o.kind} ${r.status} ${r.text}`);
          assert.ok(r.status < 500);
        }
        const rows = await t.roster.ctx.db.selectFrom('org_members').select(['role', 'is_owner']).where('org_id', '=', orgId).execute();
        assert.ok(
          rows.some((m) => m.is_owner === 1),
          'an owner remains',
        );
        assert.ok(
          rows.every((m) => !m.is_owner || m.role === 'Admin'),
          'owners are Admins',
        );
      }),
      { numRuns: 12 },
    );
  });
});
