// Property test: random sequences of org, membership and user operations, run concurrently
// through the HTTP faces, never break the store's invariants.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { checkInvariants } from '../helpers/invariants.ts';

const ROLES = ['Admin', 'Editor', 'Viewer', 'None', 'admin'] as const;

type Op =
  | { op: 'createOrg'; name: number }
  | { op: 'deleteOrg'; org: number }
  | { op: 'renameOrg'; org: number; name: number }
  | { op: 'add'; org: number; user: number; role: (typeof ROLES)[number] }
  | { op: 'role'; org: number; user: number; role: (typeof ROLES)[number] }
  | { op: 'remove'; org: number; user: number; current: boolean }
  | { op: 'createUser'; user: number }
  | { op: 'deleteUser'; user: number };

const small = fc.integer({ min: 0, max: 5 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('createOrg' as const), name: small }),
  fc.record({ op: fc.constant('deleteOrg' as const), org: small }),
  fc.record({ op: fc.constant('renameOrg' as const), org: small, name: small }),
  fc.record({ op: fc.constant('add' as const), org: small, user: small, role: fc.constantFrom(...ROLES) }),
  fc.record({ op: fc.constant('role' as const), org: small, user: small, role: fc.constantFrom(...ROLES) }),
  fc.record({ op: fc.constant('remove' as const), org: small, user: small, current: fc.boolean() }),
  fc.record({ op: fc.constant('createUser' as const), user: small }),
  fc.record({ op: fc.constant('deleteUser' as const), user: small }),
);

describe('invariants under concurrent random operations', () => {
  let t: TestRoster;
  let statuses: Map<number, number>;
  before(async () => {
    t = await startRoster();
    statuses = new Map();
  });
  after(() => t.close());

  /** Maps small indexes onto the ids that exist right now, so operations hit real rows. */
  async function ids() {
    const orgs = (await t.roster.ctx.db.selectFrom('orgs').select('id').orderBy('id').execute()).map((r) => r.id);
    const users = (await t.roster.ctx.db.selectFrom('users').select('id').orderBy('id').execute()).map((r) => r.id);
    return { orgs, users };
  }

  async function run(o: Op, known: { orgs: number[]; users: number[] }) {
    const org = 'org' in o ? known.orgs[o.org % Math.max(known.orgs.length, 1)] ?? 9999 : 0;
    const user = 'user' in o ? known.users[o.user % Math.max(known.users.length, 1)] ?? 9999 : 0;
    const a = t.admin;
    switch (o.op) {
      case 'createOrg':
        return t.request('POST', '/api/orgs', { ...a, body: { name: `org-${o.name}` } });
      case 'deleteOrg':
        return t.request('DELETE', `/api/orgs/${org}`, a);
      case 'renameOrg':
        return t.request('PUT', `/api/orgs/${org}`, { ...a, body: { name: `org-${o.name}` } });
      case 'add': {
        const login = (await t.roster.ctx.db.selectFrom('users').select('login').where('id', '=', user).executeTakeFirst())?.login ?? 'nobody';
        return t.request('POST', `/api/orgs/${org}/users`, { ...a, body: { loginOrEmail: login, role: o.role } });
      }
      case 'role':
        return t.request('PATCH', `/api/orgs/${org}/users/${user}`, { ...a, body: { role: o.role } });
      case 'remove':
        return o.current
          ? t.request('DELETE', `/api/org/users/${user}`, { ...a, headers: { 'x-grafana-org-id': String(org) } })
          : t.request('DELETE', `/api/orgs/${org}/users/${user}`, a);
      case 'createUser':
        return t.request('POST', '/api/admin/users', { ...a, body: { login: `u${o.user}-${Math.random().toString(36).slice(2, 6)}`, password: 'secret', OrgId: org || undefined } });
      case 'deleteUser':
        return t.request('DELETE', `/api/admin/users/${user === 1 ? 9999 : user}`, a);
    }
  }

  it('orgs keep an Admin and an owner among their Admins, names and slugs stay unique, nothing dangles', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), async (batches) => {
        for (const batch of batches) {
          const known = await ids();
          const replies = await Promise.all(batch.map((o) => run(o, known)));
          for (const r of replies) {
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            assert.ok(r.status < 500, `no 5xx: ${r.status} ${r.text}`);
          }
          await checkInvariants(t.roster.ctx);
        }
      }),
      { numRuns: 25 },
    );
    assert.ok((statuses.get(200) ?? 0) > 20, `enough successful operations: ${JSON.stringify([...statuses])}`);
  });

  it('concurrent demotions of the last two admins leave one admin', async () => {
    for (let i = 0; i < 10; i++) {
      const org = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: `race-${i}` } })).body.orgId;
      const login = `racer-${i}`;
      const uid = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, password: 'secret', OrgId: org } })).body.id;
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
});
