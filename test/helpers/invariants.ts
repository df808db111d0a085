// The store's invariants, checked straight in the database.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Ctx } from '../../src/domain/context.ts';

export async function checkInvariants(ctx: Ctx): Promise<void> {
  const q = async (query: ReturnType<typeof sql>) => (await query.execute(ctx.db)).rows as Record<string, unknown>[];

  const noAdmin = await q(sql`select o.id from orgs o where exists (select 1 from org_members m where m.org_id = o.id)
    and not exists (select 1 from org_members m where m.org_id = o.id and m.role = 'Admin')`);
  assert.deepEqual(noAdmin, [], 'every org with members keeps an Admin');

  const ownerNotAdmin = await q(sql`select org_id, user_id from org_members where is_owner = 1 and role <> 'Admin'`);
  assert.deepEqual(ownerNotAdmin, [], 'owners are Admins');

  const noOwner = await q(sql`select o.id from orgs o where exists (select 1 from org_members m where m.org_id = o.id and m.role = 'Admin')
    and not exists (select 1 from org_members m where m.org_id = o.id and m.is_owner = 1)`);
  assert.deepEqual(noOwner, [], 'an org with Admins has an owner');

  assert.deepEqual(await q(sql`select name from orgs group by name having count(*) > 1`), [], 'org names unique');
  assert.deepEqual(await q(sql`select slug from orgs group by slug having count(*) > 1`), [], 'org slugs unique');
  assert.deepEqual(await q(sql`select lower(login) as l from users group by lower(login) having count(*) > 1`), [], 'logins unique');

  const dangling = await q(sql`
    select 'member' as kind from org_members m where not exists (select 1 from orgs o where o.id = m.org_id) or not exists (select 1 from users u where u.id = m.user_id)
    union all select 'team' from teams t where not exists (select 1 from orgs o where o.id = t.org_id)
    union all select 'team_member' from team_members tm where not exists (select 1 from teams t where t.id = tm.team_id) or not exists (select 1 from users u where u.id = tm.user_id)
    union all select 'token' from tokens k where (k.org_id is not null and not exists (select 1 from orgs o where o.id = k.org_id))
      or (k.user_id is not null and not exists (select 1 from users u where u.id = k.user_id))
    union all select 'service_account' from service_accounts s where not exists (select 1 from orgs o where o.id = s.org_id)`);
  assert.deepEqual(dangling, [], 'nothing points at a deleted org or user');

  const badCurrent = await q(sql`select u.id from users u where u.org_id <> 0 and not exists (select 1 from org_members m where m.user_id = u.id and m.org_id = u.org_id)
    and exists (select 1 from org_members m where m.user_id = u.id)`);
  assert.deepEqual(badCurrent, [], "a user's current org is one of theirs");
}
