// The membership rules read an org's Admins and its owner under the org's lock: countAdmins (the
// last-admin rule), longestStandingAdmin (who inherits ownership) and findOwner
// (store/org-members.ts). The primary key (org_id, user_id) makes each a walk over every member
// of the org, which for an org of thousands held every write to it (SQLite serializes them).
// (org_id, role, created_at, user_id) answers the Admin count from the index and the heir from
// its first entry; (org_id, is_owner) finds the owner.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema.createIndex('org_members_org_role').on('org_members').columns(['org_id', 'role', 'created_at', 'user_id']).execute();
  await db.schema.createIndex('org_members_org_owner').on('org_members').columns(['org_id', 'is_owner']).execute();
}
