// A group's members added at once (domain/team-members.ts addTeamMembers) go in statements of at
// most a thousand (store/batches.ts): more than that still lands all of them, each audited, and
// one bad member among them leaves the team as it was.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminContext, freshDatabase } from '../helpers/roster.ts';
import type { Ctx } from '../../src/domain/context.ts';
import type { Store } from '../../src/store/db.ts';
import type { Principal } from '../../src/domain/principal.ts';
import { addTeamMembers } from '../../src/domain/team-members.ts';
import { createUser } from '../../src/domain/users.ts';
import { createTeam } from '../../src/domain/teams.ts';
import { isDomainError } from '../../src/domain/errors.ts';

const MANY = 1_050;

describe('adding more than a thousand team members at once', () => {
  let database: { url: string; drop(): Promise<void> };
  let store: Store;
  let ctx: Ctx;
  let admin: Principal;
  const users: number[] = [];

  before(async () => {
    database = await freshDatabase();
    ({ store, ctx, admin } = await adminContext(database.url));
    for (let i = 0; i < MANY; i++) users.push((await createUser(ctx, admin, { login: `many-${i}`, password: null })).id);
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });

  const membersOf = async (teamId: number) => (await ctx.db.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).execute()).map((r) => r.user_id);
  const auditedAdds = async (teamId: number) =>
    Number(
      (
        await ctx.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('action', '=', 'team.member.add')
          .where('object_id', 'like', `${teamId}:%`)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('adds every one, each audited', async () => {
    const team = await createTeam(ctx, admin, { name: 'many' });
    await addTeamMembers(ctx, admin, team.id, users);
    // The creator (a user) joined as the team's admin.
    assert.deepEqual(
      (await membersOf(team.id)).sort((a, b) => a - b),
      [...users, admin.userId!].sort((a, b) => a - b),
    );
    assert.equal(await auditedAdds(team.id), MANY + 1);
  });

  it('adds none when the last one is not a member of the org, or named twice', async () => {
    const team = await createTeam(ctx, admin, { name: 'many-refused' });
    const outsider = (await createUser(ctx, admin, { login: 'many-outsider', password: null })).id;
    // Left the org (as a removal by another request would leave them).
    await ctx.db.deleteFrom('org_members').where('org_id', '=', 1).where('user_id', '=', outsider).execute();
    await assert.rejects(addTeamMembers(ctx, admin, team.id, [...users, outsider]), (err) => isDomainError(err, 'user.not-found'));
    await assert.rejects(addTeamMembers(ctx, admin, team.id, [...users, users[0]!]), (err) => isDomainError(err, 'team.member-exists'));
    assert.deepEqual(await membersOf(team.id), [admin.userId]);
    assert.equal(await auditedAdds(team.id), 1);
  });
});
