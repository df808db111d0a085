// Custom and managed roles, their permissions and who holds them (migrations/0016). Every read of
// a role is scoped to one org (or to the global roles) in the query.
import type { Db } from './db.ts';
import type { RoleRow } from './schema.ts';

export interface PermissionRow {
  action: string;
  scope: string;
}

/** Who holds roles directly: a user (with their teams), or a service account. */
export type Grantee = { userId: number } | { serviceAccountId: number };

/**
 * The permissions a principal holds through roles in one org: roles assigned to the user (and to
 * the teams the user is in now) or to the service account, and to the basic roles named (the
 * caller's). One statement.
 */
export async function grantsIn(db: Db, orgId: number, grantee: Grantee | null, builtins: string[]): Promise<PermissionRow[]> {
  return db
    .selectFrom('role_permissions')
    .select(['action', 'scope'])
    .where('role_id', 'in', (eb) => {
      const builtin = eb
        .selectFrom('builtin_roles')
        .select('role_id')
        .where('org_id', '=', orgId)
        .where('builtin_role', 'in', builtins.length ? builtins : ['']);
      if (grantee === null) return builtin;
      if ('serviceAccountId' in grantee)
        return builtin.union(
          eb
            .selectFrom('service_account_roles')
            .innerJoin('service_accounts', 'service_accounts.id', 'service_account_roles.service_account_id')
            .select('service_account_roles.role_id')
            .where('service_accounts.org_id', '=', orgId)
            .where('service_account_roles.service_account_id', '=', grantee.serviceAccountId),
        );
      const { userId } = grantee;
      return builtin
        .union(eb.selectFrom('user_roles').select('role_id').where('org_id', '=', orgId).where('user_id', '=', userId))
        .union(
          eb
            .selectFrom('team_roles')
            .innerJoin('team_members', 'team_members.team_id', 'team_roles.team_id')
            .innerJoin('teams', 'teams.id', 'team_roles.team_id')
            .select('team_roles.role_id')
            .where('teams.org_id', '=', orgId)
            .where('team_members.user_id', '=', userId),
        );
    })
    .execute();
}

/** The roles an org offers: its own and the global ones, managed roles left out, by name. */
export async function rolesOf(db: Db, orgId: number): Promise<RoleRow[]> {
  return db
    .selectFrom('roles')
    .selectAll()
    .where((eb) => eb.or([eb('org_id', '=', orgId), eb('org_id', 'is', null)]))
    .where('name', 'not like', 'managed:%')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** A role the org can see: its own or a global one (never a managed one). */
export async function findRole(db: Db, orgId: number, uid: string): Promise<RoleRow | undefined> {
  return db
    .selectFrom('roles')
    .selectAll()
    .where('uid', '=', uid)
    .where((eb) => eb.or([eb('org_id', '=', orgId), eb('org_id', 'is', null)]))
    .where('name', 'not like', 'managed:%')
    .executeTakeFirst();
}

/** Whether the name is taken among the roles the org sees (or, for a global role, among all). */
export async function roleNameTaken(db: Db, orgId: number | null, name: string, exceptId = 0): Promise<boolean> {
  let q = db.selectFrom('roles').select('id').where('name', '=', name).where('id', '!=', exceptId);
  if (orgId !== null) q = q.where((eb) => eb.or([eb('org_id', '=', orgId), eb('org_id', 'is', null)]));
  return !!(await q.executeTakeFirst());
}

export async function roleUidTaken(db: Db, uid: string): Promise<boolean> {
  return !!(await db.selectFrom('roles').select('id').where('uid', '=', uid).executeTakeFirst());
}

export async function permissionsOf(db: Db, roleIds: number[]): Promise<Map<number, PermissionRow[]>> {
  const out = new Map<number, PermissionRow[]>(roleIds.map((id) => [id, []]));
  if (!roleIds.length) return out;
  const rows = await db.selectFrom('role_permissions').select(['role_id', 'action', 'scope']).where('role_id', 'in', roleIds).orderBy('action').orderBy('scope').execute();
  for (const r of rows) out.get(r.role_id)?.push({ action: r.action, scope: r.scope });
  return out;
}

export async function insertRole(db: Db, row: Omit<RoleRow, 'id'>): Promise<RoleRow> {
  return db.insertInto('roles').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateRole(db: Db, id: number, patch: Partial<Omit<RoleRow, 'id' | 'uid' | 'org_id'>>): Promise<void> {
  await db.updateTable('roles').set(patch).where('id', '=', id).execute();
}

export async function deleteRole(db: Db, id: number): Promise<void> {
  await db.deleteFrom('roles').where('id', '=', id).execute();
}

export async function replacePermissions(db: Db, roleId: number, permissions: PermissionRow[]): Promise<void> {
  await db.deleteFrom('role_permissions').where('role_id', '=', roleId).execute();
  await addPermissions(db, roleId, permissions);
}

/** How many users, teams and basic roles hold the role (in any org). */
export async function roleAssignmentCount(db: Db, roleId: number): Promise<number> {
  const counts = await Promise.all(
    (['user_roles', 'team_roles', 'builtin_roles', 'service_account_roles'] as const).map(async (table) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('role_id', '=', roleId)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** The custom roles a user holds in an org (managed ones left out), by name. */
export async function userRoleRows(db: Db, orgId: number, userId: number): Promise<RoleRow[]> {
  return db
    .selectFrom('user_roles')
    .innerJoin('roles', 'roles.id', 'user_roles.role_id')
    .selectAll('roles')
    .where('user_roles.org_id', '=', orgId)
    .where('user_roles.user_id', '=', userId)
    .where('roles.name', 'not like', 'managed:%')
    .orderBy('roles.name')
    .execute();
}

export async function teamRoleRows(db: Db, teamId: number): Promise<RoleRow[]> {
  return db
    .selectFrom('team_roles')
    .innerJoin('roles', 'roles.id', 'team_roles.role_id')
    .selectAll('roles')
    .where('team_roles.team_id', '=', teamId)
    .where('roles.name', 'not like', 'managed:%')
    .orderBy('roles.name')
    .execute();
}

export async function builtinRoleRows(db: Db, orgId: number): Promise<(RoleRow & { builtin_role: string })[]> {
  return db
    .selectFrom('builtin_roles')
    .innerJoin('roles', 'roles.id', 'builtin_roles.role_id')
    .selectAll('roles')
    .select('builtin_roles.builtin_role')
    .where('builtin_roles.org_id', '=', orgId)
    .orderBy('builtin_roles.builtin_role')
    .orderBy('roles.name')
    .execute();
}

/** Adds the assignment; false when it was there already. */
export async function addUserRole(db: Db, orgId: number, userId: number, roleId: number, createdAt: string): Promise<boolean> {
  const r = await db
    .insertInto('user_roles')
    .values({ org_id: orgId, user_id: userId, role_id: roleId, created_at: createdAt })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function removeUserRole(db: Db, orgId: number, userId: number, roleId: number): Promise<boolean> {
  const r = await db.deleteFrom('user_roles').where('org_id', '=', orgId).where('user_id', '=', userId).where('role_id', '=', roleId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function addTeamRole(db: Db, teamId: number, roleId: number, createdAt: string): Promise<boolean> {
  const r = await db
    .insertInto('team_roles')
    .values({ team_id: teamId, role_id: roleId, created_at: createdAt })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function removeTeamRole(db: Db, teamId: number, roleId: number): Promise<boolean> {
  const r = await db.deleteFrom('team_roles').where('team_id', '=', teamId).where('role_id', '=', roleId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The custom roles a service account holds (its org's and global ones), by name. */
export async function serviceAccountRoleRows(db: Db, saId: number): Promise<RoleRow[]> {
  return db
    .selectFrom('service_account_roles')
    .innerJoin('roles', 'roles.id', 'service_account_roles.role_id')
    .selectAll('roles')
    .where('service_account_roles.service_account_id', '=', saId)
    .orderBy('roles.name')
    .execute();
}

export async function addServiceAccountRole(db: Db, saId: number, roleId: number, createdAt: string): Promise<boolean> {
  const r = await db
    .insertInto('service_account_roles')
    .values({ service_account_id: saId, role_id: roleId, created_at: createdAt })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function removeServiceAccountRole(db: Db, saId: number, roleId: number): Promise<boolean> {
  const r = await db.deleteFrom('service_account_roles').where('service_account_id', '=', saId).where('role_id', '=', roleId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function addBuiltinRole(db: Db, orgId: number, builtin: string, roleId: number, createdAt: string): Promise<boolean> {
  const r = await db
    .insertInto('builtin_roles')
    .values({ org_id: orgId, builtin_role: builtin, role_id: roleId, created_at: createdAt })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function removeBuiltinRole(db: Db, orgId: number, builtin: string, roleId: number): Promise<boolean> {
  const r = await db.deleteFrom('builtin_roles').where('org_id', '=', orgId).where('builtin_role', '=', builtin).where('role_id', '=', roleId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Managed roles: one per user or team and org, named as Grafana names them. */
export const managedRoleName = (kind: 'users' | 'teams', id: number) => `managed:${kind}:${id}:permissions`;

/** A user leaving an org leaves the roles they held there, and their resource permissions there go. */
export async function deleteUserRolesIn(db: Db, userId: number, orgId: number): Promise<void> {
  // Issued together, so they go with the removal's other statements (pipelined on PostgreSQL).
  await Promise.all([
    db.deleteFrom('roles').where('org_id', '=', orgId).where('name', '=', managedRoleName('users', userId)).execute(),
    db.deleteFrom('user_roles').where('user_id', '=', userId).where('org_id', '=', orgId).execute(),
  ]);
}

export async function findManagedRole(db: Db, orgId: number, name: string): Promise<RoleRow | undefined> {
  return db.selectFrom('roles').selectAll().where('org_id', '=', orgId).where('name', '=', name).executeTakeFirst();
}

/** Who holds permissions scoped to one resource through a managed role: the role's name says whether a user or a team. */
export async function resourceGrantRows(db: Db, orgId: number, scope: string): Promise<{ name: string; action: string }[]> {
  return db
    .selectFrom('role_permissions')
    .innerJoin('roles', 'roles.id', 'role_permissions.role_id')
    .select(['roles.name', 'role_permissions.action'])
    .where('role_permissions.scope', '=', scope)
    .where('roles.org_id', '=', orgId)
    .where('roles.name', 'like', 'managed:%')
    .orderBy('roles.name')
    .orderBy('role_permissions.action')
    .execute();
}

export async function addPermissions(db: Db, roleId: number, permissions: PermissionRow[]): Promise<void> {
  if (permissions.length)
    await db
      .insertInto('role_permissions')
      .values(permissions.map((p) => ({ role_id: roleId, ...p })))
      .execute();
}

export async function deleteScopedPermissions(db: Db, roleId: number, scope: string): Promise<void> {
  await db.deleteFrom('role_permissions').where('role_id', '=', roleId).where('scope', '=', scope).execute();
}

/** A resource that goes takes every permission scoped to it (ids are not reused, but a grant on nothing is noise). */
export async function deleteResourceScope(db: Db, scope: string): Promise<void> {
  await db.deleteFrom('role_permissions').where('scope', '=', scope).execute();
}

/** Every assignment of the org's own custom roles: to users, teams, service accounts (of the org) and basic roles. */
export async function orgRoleHolders(db: Db, orgId: number): Promise<{ roleId: number; userId: number | null; teamId: number | null; serviceAccountId: number | null; builtin: string | null }[]> {
  const own = (await db.selectFrom('roles').select('id').where('org_id', '=', orgId).where('name', 'not like', 'managed:%').execute()).map((r) => r.id);
  if (!own.length) return [];
  const [users, teams, accounts, builtins] = await Promise.all([
    db.selectFrom('user_roles').select(['role_id', 'user_id']).where('org_id', '=', orgId).where('role_id', 'in', own).orderBy('role_id').orderBy('user_id').execute(),
    db.selectFrom('team_roles').select(['role_id', 'team_id']).where('role_id', 'in', own).orderBy('role_id').orderBy('team_id').execute(),
    db.selectFrom('service_account_roles').select(['role_id', 'service_account_id']).where('role_id', 'in', own).orderBy('role_id').orderBy('service_account_id').execute(),
    db.selectFrom('builtin_roles').select(['role_id', 'builtin_role']).where('org_id', '=', orgId).where('role_id', 'in', own).orderBy('role_id').orderBy('builtin_role').execute(),
  ]);
  const none = { userId: null, teamId: null, serviceAccountId: null, builtin: null };
  return [
    ...users.map((r) => ({ ...none, roleId: r.role_id, userId: r.user_id })),
    ...teams.map((r) => ({ ...none, roleId: r.role_id, teamId: r.team_id })),
    ...accounts.map((r) => ({ ...none, roleId: r.role_id, serviceAccountId: r.service_account_id })),
    ...builtins.map((r) => ({ ...none, roleId: r.role_id, builtin: r.builtin_role })),
  ];
}

/** The users holding a role in an org, with when they got it, by that time. */
export async function roleUserRows(db: Db, orgId: number, roleId: number) {
  return db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select(['users.id', 'users.uuid', 'users.uid', 'users.name', 'users.email', 'user_roles.created_at'])
    .where('user_roles.org_id', '=', orgId)
    .where('user_roles.role_id', '=', roleId)
    .orderBy('user_roles.created_at')
    .orderBy('users.id')
    .execute();
}

/** The users, teams and service accounts of an org holding a role, by id. */
export async function roleHolderIds(db: Db, orgId: number, roleId: number): Promise<{ users: number[]; teams: number[]; serviceAccounts: number[] }> {
  const [users, teams, accounts] = await Promise.all([
    db.selectFrom('user_roles').select('user_id').where('org_id', '=', orgId).where('role_id', '=', roleId).orderBy('user_id').execute(),
    db
      .selectFrom('team_roles')
      .innerJoin('teams', 'teams.id', 'team_roles.team_id')
      .select('team_roles.team_id')
      .where('teams.org_id', '=', orgId)
      .where('team_roles.role_id', '=', roleId)
      .orderBy('team_roles.team_id')
      .execute(),
    db
      .selectFrom('service_account_roles')
      .innerJoin('service_accounts', 'service_accounts.id', 'service_account_roles.service_account_id')
      .select('service_account_roles.service_account_id')
      .where('service_accounts.org_id', '=', orgId)
      .where('service_account_roles.role_id', '=', roleId)
      .orderBy('service_account_roles.service_account_id')
      .execute(),
  ]);
  return { users: users.map((r) => r.user_id), teams: teams.map((r) => r.team_id), serviceAccounts: accounts.map((r) => r.service_account_id) };
}
