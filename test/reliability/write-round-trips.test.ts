// The hot writes (add a member, change a role, add a team member, create a user) cost at most
// three round trips to PostgreSQL each (src/store/pipelined-transaction.ts); a user's creation,
// through SCIM too, and a team's new members, however many, two. Counted on the real
// `pg` client: a round trip starts whenever a query is sent while its connection has no answer
// pending (in pipeline mode, queries sent while others are in flight ride the same one; without
// it, each query waits for the one before).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminContext, DB_KIND, migratedDatabase } from '../helpers/roster.ts';
import { observe } from '../helpers/pg-round-trips.ts';
import type { Ctx } from '../../src/domain/context.ts';
import type { Store } from '../../src/store/db.ts';
import type { Principal } from '../../src/domain/principal.ts';
import { addMember, removeMember, updateMemberRole } from '../../src/domain/members.ts';
import { addTeamMember, addTeamMembers } from '../../src/domain/team-members.ts';
import { provisionUser } from '../../src/domain/scim-users.ts';
import { createUser } from '../../src/domain/users.ts';
import { createTeam } from '../../src/domain/teams.ts';
import { createOrg } from '../../src/domain/orgs.ts';

describe('PostgreSQL round trips of the hot writes', { skip: DB_KIND !== 'postgres' && 'PostgreSQL only: SQLite runs the same statements in one local transaction, no round trips' }, () => {
  let database: { url: string; drop(): Promise<void> };
  let store: Store;
  let ctx: Ctx;
  let admin: Principal;
  let teamId: number;
  let next = 0;

  before(async () => {
    database = await migratedDatabase();
    // Measured on a context of its own, without the server's background work on the same pool.
    ({ store, ctx, admin } = await adminContext(database.url));
    teamId = (await createTeam(ctx, admin, { name: 'round-trips' })).id;
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });

  // Joins org 1 as Viewer (auto-assign).
  const newUser = async () => createUser(ctx, admin, { login: `rt-${++next}`, password: null });

  it('creating a user, under the shared lock of its org', async () => {
    const seen = await observe(() => createUser(ctx, admin, { login: `rt-created-${++next}`, password: null }));
    assert.ok(seen.roundTrips <= 2, `${seen.roundTrips} round trips: ${seen.queries.join(' | ')}`);
    assert.ok(seen.queries.some((q) => /from orgs .* for key share/.test(q)) && !seen.queries.some((q) => /for update/.test(q)), seen.queries.join(' | '));
  });

  it('provisioning a new user through SCIM', async () => {
    const scim: Principal = { kind: 'scim', userId: null, serviceAccountId: null, tokenId: null, login: 'scim-token-rt', orgId: 1, role: 'Admin', isServerAdmin: false };
    const login = `rt-scim-${++next}@example.com`;
    let uuid = '';
    const seen = await observe(async () => {
      uuid = (await provisionUser(ctx, scim, { login, email: login, name: 'RT', externalId: 'ext-rt', active: true })).uuid;
    });
    assert.ok(seen.roundTrips <= 2, `${seen.roundTrips} round trips: ${seen.queries.join(' | ')}`);
    const row = await ctx.db
      .selectFrom('users')
      .innerJoin('scim_users', 'scim_users.user_id', 'users.id')
      .innerJoin('org_members', (j) => j.onRef('org_members.user_id', '=', 'users.id').on('org_members.org_id', '=', 1))
      .select(['users.login', 'scim_users.external_id', 'org_members.role'])
      .where('users.uuid', '=', uuid)
      .executeTakeFirst();
    assert.deepEqual(row, { login, external_id: 'ext-rt', role: 'Viewer' });
  });

  it('adding a member', async () => {
    const user = await newUser();
    // An org of its own whose Admin (the creator) is not the caller's current org.
    const org = (await createOrg(ctx, admin, { name: `rt-org-${++next}` })).id;
    const seen = await observe(() => addMember(ctx, admin, org, { loginOrEmail: user.login, role: 'Viewer' }));
    assert.ok(seen.roundTrips <= 3, `${seen.roundTrips} round trips: ${seen.queries.join(' | ')}`);
    // The reads travel with the lock but behind it: PostgreSQL answers them once the lock is held.
    const lock = seen.queries.findIndex((q) => /from orgs .* for key share/.test(q));
    assert.ok(lock > seen.queries.indexOf('begin') && lock < seen.queries.findIndex((q) => q.startsWith('select * from "users"')), seen.queries.join(' | '));
    assert.equal((await ctx.db.selectFrom('org_members').select('role').where('org_id', '=', org).where('user_id', '=', user.id).executeTakeFirst())?.role, 'Viewer');
  });

  it('changing a role, up to Admin and back', async () => {
    const user = await newUser();
    for (const role of ['Editor', 'Admin', 'Viewer'] as const) {
      const seen = await observe(() => updateMemberRole(ctx, admin, 1, user.id, role));
      assert.ok(seen.roundTrips <= 3, `${role}: ${seen.roundTrips} round trips: ${seen.queries.join(' | ')}`);
      assert.equal((await ctx.db.selectFrom('org_members').select('role').where('org_id', '=', 1).where('user_id', '=', user.id).executeTakeFirst())?.role, role);
    }
  });

  it('removing a member (the write mix removes too)', async () => {
    const user = await newUser();
    const org = (await createOrg(ctx, admin, { name: `rt-org-${++next}` })).id;
    await addMember(ctx, admin, org, { loginOrEmail: user.login, role: 'Editor' });
    const seen = await observe(() => removeMember(ctx, admin, org, user.id, { deleteOrphan: true }));
    assert.ok(seen.roundTrips <= 3, `${seen.roundTrips} round trips: ${seen.queries.join(' | ')}`);
    assert.equal(await ctx.db.selectFrom('org_members').select('role').where('org_id', '=', org).where('user_id', '=', user.id).executeTakeFirst(), undefined);
  });

  it('adding twenty team members at once', async () => {
    const users: number[] = [];
    for (let i = 0; i < 20; i++) users.push((await newUser()).id);
    const seen = await observe(() => addTeamMembers(ctx, admin, teamId, users));
    assert.ok(seen.roundTrips <= 2, `${seen.roundTrips} round trips: ${seen.queries.join(' | ')}`);
    const rows = await ctx.db.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).where('user_id', 'in', users).execute();
    assert.equal(rows.length, users.length);
  });

  it('adding a team member', async () => {
    const user = await newUser();
    const seen = await observe(() => addTeamMember(ctx, admin, teamId, user.id));
    assert.ok(seen.roundTrips <= 3, `${seen.roundTrips} round trips: ${seen.queries.join(' | ')}`);
    assert.ok(await ctx.db.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).where('user_id', '=', user.id).executeTakeFirst());
  });
});
