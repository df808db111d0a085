// Who may do what: the one authorization check every face goes through.
import type { Ctx } from './context.ts';
import { forbidden } from './errors.ts';
import type { Principal } from './principal.ts';
import { isRole, ROLE_GRANTS, SERVER_ADMIN_ORG_GRANTS, type GlobalAction, type OrgAction, type Role } from './roles.ts';

/** The caller's role in an org: the request org's role is known; a user's (or their key's) other orgs are looked up. */
export async function roleIn(ctx: Ctx, p: Principal, orgId: number): Promise<Role | null> {
  if (orgId === p.orgId) return p.role;
  // A user, or a personal key acting as its user (limits to orgs and scopes are the face's check).
  if (p.kind === 'service-account' || p.userId === null) return null;
  const row = await ctx.db
    .selectFrom('org_members')
    .select('role')
    .where('org_id', '=', orgId)
    .where('user_id', '=', p.userId)
    .executeTakeFirst();
  return row && isRole(row.role) ? row.role : null;
}

export async function can(ctx: Ctx, p: Principal, action: OrgAction, orgId: number): Promise<boolean> {
  if (p.isServerAdmin && SERVER_ADMIN_ORG_GRANTS.has(action)) return true;
  const role = await roleIn(ctx, p, orgId);
  return role !== null && ROLE_GRANTS[role].has(action);
}

export async function authorize(ctx: Ctx, p: Principal, action: OrgAction, orgId: number): Promise<void> {
  if (!(await can(ctx, p, action, orgId))) throw forbidden(action);
}

export function authorizeGlobal(p: Principal, action: GlobalAction): void {
  if (!p.isServerAdmin) throw forbidden(action);
}

/** Routes that only make sense for a real user (Grafana: "Endpoint only available for users"). */
export function requireUser(p: Principal): number {
  if (p.kind !== 'user' || p.userId === null) throw forbidden('user', 'Endpoint only available for users', 'user-only');
  return p.userId;
}
