// The decision every domain function asks: does the caller's permission set in this org hold
// this permission? The set comes from the caller's role (grants.ts), server admin, and, for a
// personal key, only what its scopes cover (key-scopes.ts).
import { isRole, type Role } from '../../role-names.ts';
import type { Ctx } from '../context.ts';
import { forbidden } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { ROLE_PERMISSIONS, SERVER_ADMIN_ORG_PERMISSIONS } from './grants.ts';
import { checkKeyScope, scopesHold, SCOPE_OF } from './key-scopes.ts';
import type { GlobalAction, OrgAction, SelfAction } from './permissions.ts';

/** The caller's role in an org: the request org's role is known; a user's (or their key's) other orgs are looked up. */
export async function roleIn(ctx: Ctx, p: Principal, orgId: number): Promise<Role | null> {
  if (orgId === p.orgId) return p.role;
  if (p.kind === 'service-account' || p.userId === null) return null;
  const row = await ctx.db
    .selectFrom('org_members')
    .select('role')
    .where('org_id', '=', orgId)
    .where('user_id', '=', p.userId)
    .executeTakeFirst();
  return row && isRole(row.role) ? row.role : null;
}

/** The caller's permission set in an org. */
export async function permissionsIn(ctx: Ctx, p: Principal, orgId: number): Promise<ReadonlySet<OrgAction>> {
  const role = await roleIn(ctx, p, orgId);
  const held = new Set<OrgAction>(role === null ? [] : ROLE_PERMISSIONS[role]);
  if (p.isServerAdmin) for (const a of SERVER_ADMIN_ORG_PERMISSIONS) held.add(a);
  if (p.kind !== 'personal-key') return held;
  const scopes = p.scopes ?? [];
  return new Set([...held].filter((a) => SCOPE_OF[a] !== undefined && scopesHold(scopes, SCOPE_OF[a])));
}

export async function can(ctx: Ctx, p: Principal, action: OrgAction, orgId: number): Promise<boolean> {
  return (await permissionsIn(ctx, p, orgId)).has(action);
}

/**
 * Throws the forbidden error naming `action` unless the caller's set in the org holds it. A
 * personal key first gets PostHog's own answer when its scopes do not cover the action.
 */
export async function authorize(ctx: Ctx, p: Principal, action: OrgAction, orgId: number): Promise<void> {
  checkKeyScope(p, action);
  if (!(await can(ctx, p, action, orgId))) throw forbidden(action);
}

/** Server-wide actions: server admins only (tokens never are). */
export function authorizeGlobal(p: Principal, action: GlobalAction): void {
  if (!p.isServerAdmin) throw forbidden(action);
}

/**
 * The caller's own account, for actions only a user has (Grafana: "Endpoint only available for
 * users"); a personal key acts for its owner when its scopes cover the action.
 */
export function requireSelf(p: Principal, action: SelfAction): number {
  checkKeyScope(p, action);
  if (p.kind === 'service-account' || p.userId === null) throw forbidden('user', 'Endpoint only available for users', 'user-only');
  return p.userId;
}

/** A user an operation names: the caller's own account, or another user's by id (resolved only once allowed). */
export type UserRef = 'self' | number | (() => Promise<number>);

/** The user id `ref` names, once the caller may act on it: themselves with `selfAction`, anyone else as a server admin with `adminAction`. */
export async function targetUser(p: Principal, ref: UserRef, selfAction: SelfAction, adminAction: GlobalAction): Promise<number> {
  if (ref === 'self') return requireSelf(p, selfAction);
  authorizeGlobal(p, adminAction);
  return typeof ref === 'number' ? ref : ref();
}
