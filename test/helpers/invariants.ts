// The store's invariants, checked straight in the database (any connection to it: a test's own
// or a server's).
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.ts';

export async function checkInvariants(db: Kysely<Database>): Promise<void> {
  const q = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows as Record<string, unknown>[];

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
    union all select 'service_account' from service_accounts s where not exists (select 1 from orgs o where o.id = s.org_id)
    union all select 'sa_token' from tokens k where k.kind = 'sa'
      and not exists (select 1 from service_accounts s where s.id = k.service_account_id and s.org_id = k.org_id)`);
  assert.deepEqual(dangling, [], 'nothing points at a deleted org, user or service account');

  // Leaving an org means leaving its teams (Grafana): no team member outside the team's org.
  const outsider = await q(sql`select tm.team_id, tm.user_id from team_members tm join teams t on t.id = tm.team_id
    where not exists (select 1 from org_members m where m.org_id = t.org_id and m.user_id = tm.user_id)`);
  assert.deepEqual(outsider, [], "team members belong to the team's org");

  const badCurrent = await q(sql`select u.id from users u where u.org_id <> 0 and not exists (select 1 from org_members m where m.user_id = u.id and m.org_id = u.org_id)
    and exists (select 1 from org_members m where m.user_id = u.id)`);
  assert.deepEqual(badCurrent, [], "a user's current org is one of theirs");
}
