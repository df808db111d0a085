// Custom roles: named sets of (action, scope) permissions an org's admins define (Grafana's RBAC
// roles; docs/access-control.md). A global role (no org) is a server admin's, seen in every org.
// Nobody defines or hands out a permission they do not hold themselves.
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, lockLiveOrg, type Ctx, type Db } from './context.ts';
import { conflict, forbidden, invalid, notFound } from './errors.ts';
import { grafanaUid } from './ids.ts';
import { limitLength } from './limits.ts';
import { authorize, holdsGrant, isKnownScope, ORG_PERMISSIONS, type Grant, type OrgAction } from './policy/index.ts';
import type { Principal } from './principal.ts';
import * as store from '../store/access-control.ts';
import type { RoleRow } from '../store/schema.ts';
import { isUniqueViolation } from '../store/errors.ts';

export interface Role extends RoleRow {
  permissions: Grant[];
}

export interface RoleInput {
  uid?: string;
  name?: string;
  displayName?: string;
  description?: string;
  group?: string;
  hidden?: boolean;
  global?: boolean;
  version?: number;
  permissions?: { action: string; scope?: string }[];
}

const GRANTABLE: ReadonlySet<string> = new Set<string>(ORG_PERMISSIONS);
const RESERVED = /^(basic|fixed|managed|plugins):/;
const UID = /^[\w-]{1,40}$/;

function limitRoleText(input: RoleInput): void {
  limitLength('role.name', input.name, 'name');
  limitLength('role.displayName', input.displayName, 'displayName');
  limitLength('role.description', input.description, 'description');
  limitLength('role.group', input.group, 'group');
}

export const roleNotFound = () => notFound('role.not-found', 'Role not found');

/** A role's permissions, checked: known actions and scopes, no duplicates. */
function validPermissions(list: RoleInput['permissions']): Grant[] {
  const seen = new Map<string, Grant>();
  for (const g of list ?? []) {
    if (!GRANTABLE.has(g.action)) throw invalid('role.action-unknown', `unknown action "${g.action}"`);
    const scope = g.scope ?? '';
    if (!isKnownScope(scope)) throw invalid('role.scope-unknown', `unknown scope "${scope}"`);
    seen.set(`${g.action} ${scope}`, { action: g.action, scope });
  }
  return [...seen.values()];
}

/** Nobody grants what they do not hold (Grafana's "permissions escalation" check): 403 naming the first such action. */
export async function checkHeld(ctx: Ctx, p: Principal, orgId: number, permissions: Grant[]): Promise<void> {
  for (const g of permissions) {
    if (!(await holdsGrant(ctx, p, orgId, g))) throw forbidden(g.action as OrgAction, `Cannot grant permissions the signed-in user does not hold: ${g.action}`, 'role.escalation');
  }
}

/** Roles with their permissions, read in one query. */
export async function withPermissions(db: Db, rows: RoleRow[]): Promise<Role[]> {
  const perms = await store.permissionsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, permissions: perms.get(r.id) ?? [] }));
}

/** Refuses a caller who may not make this kind of change, before a request's body is read (PostHog's write permission). */
export async function checkMayChangeRoles(ctx: Ctx, p: Principal, action: Extract<OrgAction, 'roles:write' | 'users.roles:add' | 'users.roles:remove'>): Promise<void> {
  await authorize(ctx, p, action, p.orgId);
}

export async function listRoles(ctx: Ctx, p: Principal, includeHidden: boolean): Promise<Role[]> {
  await authorize(ctx, p, 'roles:read', p.orgId);
  const rows = (await store.rolesOf(ctx.db, p.orgId)).filter((r) => includeHidden || !r.hidden);
  return withPermissions(ctx.db, rows);
}

/** A role the caller's org sees, or 404. */
export async function visibleRole(db: Db, orgId: number, uid: string): Promise<Role> {
  const row = await store.findRole(db, orgId, uid);
  if (!row) throw roleNotFound();
  return (await withPermissions(db, [row]))[0];
}

export async function getRole(ctx: Ctx, p: Principal, uid: string): Promise<Role> {
  await authorize(ctx, p, 'roles:read', p.orgId);
  return visibleRole(ctx.db, p.orgId, uid);
}

function checkGlobal(p: Principal, global: boolean | undefined): void {
  // Only a server admin defines roles for every org.
  if (global && !p.isServerAdmin) throw forbidden('roles:write');
}

function snapshot(r: { name: string; version: number; permissions: Grant[] }) {
  return { name: r.name, version: r.version, permissions: r.permissions };
}

export async function createRole(ctx: Ctx, p: Principal, input: RoleInput): Promise<Role> {
  await authorize(ctx, p, 'roles:write', p.orgId);
  checkGlobal(p, input.global);
  if (!input.name) throw invalid('role.name-required', 'bad request data');
  if (RESERVED.test(input.name)) throw invalid('role.name-reserved', 'the role name uses a reserved prefix (basic:, fixed:, managed:, plugins:)');
  if (input.uid !== undefined && input.uid !== '' && !UID.test(input.uid)) throw invalid('role.uid-invalid', 'invalid role uid');
  limitRoleText(input);
  const permissions = validPermissions(input.permissions);
  await checkHeld(ctx, p, p.orgId, permissions);
  const orgId = input.global ? null : p.orgId;
  try {
    return await inTransaction(ctx, async (trx) => {
      await lockLiveOrg(ctx, trx, p.orgId);
      const uid = input.uid || grafanaUid();
      if ((await store.roleUidTaken(trx, uid)) || (await store.roleNameTaken(trx, orgId, input.name!))) throw conflict('role.exists', 'Role with the same uid or name already exists');
      const ts = now();
      const row = await store.insertRole(trx, {
        uid,
        org_id: orgId,
        name: input.name!,
        display_name: input.displayName ?? '',
        description: input.description ?? '',
        group_name: input.group ?? '',
        hidden: input.hidden ? 1 : 0,
        version: input.version && input.version > 0 ? input.version : 1,
        created_at: ts,
        updated_at: ts,
      });
      await store.replacePermissions(trx, row.id, permissions);
      const role = { ...row, permissions };
      await audit(trx, p, { action: 'role.create', objectType: 'role', objectId: row.uid, orgId, after: snapshot(role) });
      return role;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('role.exists', 'Role with the same uid or name already exists');
    throw err;
  }
}

/** Grafana's update replaces the role's fields and permissions; the version must go up. */
export async function updateRole(ctx: Ctx, p: Principal, uid: string, input: RoleInput): Promise<Role> {
  await authorize(ctx, p, 'roles:write', p.orgId);
  limitRoleText(input);
  const permissions = validPermissions(input.permissions);
  return inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, p.orgId);
    const before = await visibleRole(trx, p.orgId, uid);
    checkGlobal(p, before.org_id === null);
    const name = input.name || before.name;
    if (RESERVED.test(name)) throw invalid('role.name-reserved', 'the role name uses a reserved prefix (basic:, fixed:, managed:, plugins:)');
    if (input.version === undefined || input.version <= before.version) throw invalid('role.version', 'the provided role version is smaller than or equal to stored role');
    if (await store.roleNameTaken(trx, before.org_id, name, before.id)) throw conflict('role.exists', 'Role with the same uid or name already exists');
    // What the role gains must be held by whoever widens it.
    const had = new Set(before.permissions.map((g) => `${g.action} ${g.scope}`));
    await checkHeld(
      { ...ctx, db: trx },
      p,
      p.orgId,
      permissions.filter((g) => !had.has(`${g.action} ${g.scope}`)),
    );
    await store.updateRole(trx, before.id, {
      name,
      display_name: input.displayName ?? before.display_name,
      description: input.description ?? before.description,
      group_name: input.group ?? before.group_name,
      hidden: input.hidden === undefined ? before.hidden : input.hidden ? 1 : 0,
      version: input.version,
      updated_at: now(),
    });
    await store.replacePermissions(trx, before.id, permissions);
    const after = await visibleRole(trx, p.orgId, uid);
    await audit(trx, p, { action: 'role.update', objectType: 'role', objectId: uid, orgId: before.org_id, before: snapshot(before), after: snapshot(after) });
    return after;
  });
}

/** Deleting a role ends every assignment of it (foreign-key cascades): what it granted goes at once. */
export async function deleteRole(ctx: Ctx, p: Principal, uid: string): Promise<void> {
  await authorize(ctx, p, 'roles:delete', p.orgId);
  await inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, p.orgId);
    const before = await visibleRole(trx, p.orgId, uid);
    checkGlobal(p, before.org_id === null);
    await store.deleteRole(trx, before.id);
    await audit(trx, p, { action: 'role.delete', objectType: 'role', objectId: uid, orgId: before.org_id, before: snapshot(before) });
  });
}
