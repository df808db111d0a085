// Property test: random sequences of org, membership, user, team and service-account operations,
// run concurrently through the HTTP faces of one in-process server, never break the store's
// invariants. test/scaleout/invariants-processes.test.ts runs the same operations across three
// server processes on one PostgreSQL database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { checkInvariants } from '../helpers/invariants.ts';
import { batchesArb, knownRows, runOp, StatusTally } from '../helpers/random-ops.ts';
import { createTeam } from '../../src/domain/teams.ts';
import { createOrg } from '../../src/domain/orgs.ts';
import { DomainError } from '../../src/domain/errors.ts';
import type { Principal } from '../../src/domain/principal.ts';

describe('invariants under concurrent random operations', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('orgs keep an Admin and an owner among their Admins, names and slugs stay unique, nothing dangles', async (ctx) => {
    const tally = new StatusTally();
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(batchesArb(6, 5), async (batches) => {
        sequences++;
        for (const batch of batches) {
          const known = await knownRows(t.roster.ctx.db);
          const replies = await Promise.all(batch.map((o) => runOp(t.request, t.admin, o, known)));
          batch.forEach((o, i) => tally.add(o, replies[i]!));
          for (const r of replies.flat()) assert.ok(r.status < 500, `no 5xx: ${r.status} ${JSON.stringify(r.body)}`);
          await checkInvariants(t.roster.ctx.db);
        }
      }),
      { numRuns: 25 },
    );
    ctx.diagnostic(`${sequences} sequences, ${tally}`);
    assert.ok(tally.successes > 20, `enough successful operations: ${tally}`);
  });

  it('concurrent demotions of the last two admins leave one admin', async () => {
    for (let i = 0; i < 10; i++) {
      const org = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: `race-${i}` } })).body.orgId;
      const login = `racer-${i}`;
      const uid = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, password: 'secret-pw', OrgId: org } })).body.id;
      await t.request('PATCH', `/api/orgs/${org}/users/${uid}`, { ...t.admin, body: { role: 'Admin' } });
      const [a, b] = await Promise.all([
        t.request('PATCH', `/api/orgs/${org}/users/1`, { ...t.admin, body: { role: 'Viewer' } }),
        t.request('PATCH', `/api/orgs/${org}/users/${uid}`, { ...t.admin, body: { role: 'Viewer' } }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [200, 400]);
      const admins = await sql<{ n: number }>`select count(*) as n from org_members where org_id = ${org} and role = 'Admin'`.execute(t.roster.ctx.db);
      assert.equal(Number(admins.rows[0].n), 1);
    }
  });

  // Non-Admin changes to one org run side by side on PostgreSQL (a shared org lock): the same
  // member removed, re-roled and removed again at once is removed once, audited once, and a
  // change to the removed member is a 404, never a 5xx.
  it('concurrent changes of one non-Admin member: removed once, audited once', async () => {
    for (let i = 0; i < 5; i++) {
      const org = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: `shared-${i}` } })).body.orgId;
      const login = `sharer-${i}`;
      const uid = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, password: 'secret-pw' } })).body.id;
      assert.equal((await t.request('POST', `/api/orgs/${org}/users`, { ...t.admin, body: { loginOrEmail: login, role: 'Viewer' } })).status, 200);
      const replies = await Promise.all([
        ...Array.from({ length: 4 }, () => t.request('DELETE', `/api/orgs/${org}/users/${uid}`, t.admin)),
        ...Array.from({ length: 4 }, () => t.request('PATCH', `/api/orgs/${org}/users/${uid}`, { ...t.admin, body: { role: 'Editor' } })),
      ]);
      for (const r of replies.slice(0, 4)) assert.equal(r.status, 200, r.text);
      for (const r of replies.slice(4)) assert.ok([200, 404].includes(r.status), r.text);
      const left = await sql<{ n: number }>`select count(*) as n from org_members where org_id = ${org} and user_id = ${uid}`.execute(t.roster.ctx.db);
      assert.equal(Number(left.rows[0].n), 0);
      const removals = await sql<{ n: number }>`select count(*) as n from audit_events where action = 'member.remove' and object_id = ${`${org}:${uid}`}`.execute(t.roster.ctx.db);
      assert.equal(Number(removals.rows[0].n), 1);
      await checkInvariants(t.roster.ctx.db);
    }
  });

  // Found by the three-process run: a request authorized just before its caller left the org
  // (another process's memo, or a request a moment earlier) created a team with the ex-member in it.
  it('a team creator who left the org after being authorized is refused, and no outsider joins a team', async () => {
    const org = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'left-org' } })).body.orgId;
    const uid = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'leaver', password: 'secret-pw', OrgId: org } })).body.id;
    assert.equal((await t.request('PATCH', `/api/orgs/${org}/users/${uid}`, { ...t.admin, body: { role: 'Admin' } })).status, 200);
    const authorized: Principal = { kind: 'user', userId: uid, serviceAccountId: null, tokenId: null, login: 'leaver', orgId: org, role: 'Admin', isServerAdmin: false };
    assert.equal((await t.request('DELETE', `/api/orgs/${org}/users/${uid}`, t.admin)).status, 200);
    await assert.rejects(createTeam(t.roster.ctx, authorized, { name: 'too-late' }), (e) => e instanceof DomainError && e.kind === 'forbidden');
    await checkInvariants(t.roster.ctx.db);
  });

  it('an org created by a user deleted after being authorized is refused (404), not a foreign-key error', async () => {
    // Its own org, where the admin is already Admin: the random runs above may have left org 1
    // without members, and the first member of such an org becomes its Admin (and then the
    // last Admin, whom deleting is refused).
    const home = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'vanishing-home' } })).body.orgId;
    const uid = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'vanishing', password: 'secret-pw', OrgId: home } })).body.id;
    const authorized: Principal = { kind: 'user', userId: uid, serviceAccountId: null, tokenId: null, login: 'vanishing', orgId: home, role: 'Viewer', isServerAdmin: true };
    assert.equal((await t.request('DELETE', `/api/admin/users/${uid}`, t.admin)).status, 200);
    await assert.rejects(createOrg(t.roster.ctx, authorized, { name: 'orphan-org' }), (e) => e instanceof DomainError && e.kind === 'not-found');
    assert.equal(await t.roster.ctx.db.selectFrom('orgs').select('id').where('name', '=', 'orphan-org').executeTakeFirst(), undefined);
  });
});
