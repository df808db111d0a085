// The decision every domain function asks: does the caller's permission set in this org hold
// this permission? The set comes from the caller's role (grants.ts), server admin, the roles the
// caller holds as data (custom and managed roles of the user and their teams, or of the service
// account a token acts as, and of the basic role;
// docs/access-control.md), and, for a personal key, only what its scopes cover (key-scopes.ts).
import { isRole, type Role } from '../../role-names.ts';
import type { Ctx } from '../context.ts';
import { isRowId } from '../ids.ts';
import { memberRole } from '../../store/org-members.ts';
import { grantsIn, type Grantee } from '../../store/access-control.ts';
import { forbidden } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { ROLE_PERMISSIONS, SERVER_ADMIN_GLOBAL_PERMISSIONS, SERVER_ADMIN_ORG_PERMISSIONS } from './grants.ts';
import { checkKeyScope, scopesHold, SCOPE_OF } from './key-scopes.ts';
import type { GlobalAction, OrgAction, SelfAction } from './permissions.ts';
import { scopeIncludes, scopeReaches, type Grant, type Resource, type ResourceKind } from './scopes.ts';

/** The caller's role in an org: the request org's role is known; a user's (or their key's) other orgs are looked up. */
export async function roleIn(ctx: Ctx, p: Principal, orgId: number): Promise<Role | null> {
  if (orgId === p.orgId) return p.role;
  if (p.kind === 'service-account' || p.userId === null) return null;
  const role = await memberRole(ctx.db, orgId, p.userId);
  return isRole(role) ? role : null;
}

export const TWO_FACTOR_REQUIRED_MESSAGE = 'This organization requires two-factor authentication: set it up on your account page (/account) to continue';

/** Every org permission some set grants: what a custom role may name. */
export const ORG_PERMISSIONS: readonly OrgAction[] = [...new Set([...Object.values(ROLE_PERMISSIONS).flatMap((s) => [...s]), ...SERVER_ADMIN_ORG_PERMISSIONS])];

/** A personal key holds only what its scopes cover. */
function keyAllows(p: Principal, action: OrgAction): boolean {
  if (p.kind !== 'personal-key') return true;
  const scope = SCOPE_OF[action];
  return scope !== undefined && scopesHold(p.scopes ?? [], scope);
}

/**
 * Whether the set the caller holds with `role` contains `action`: the role's set, plus the
 * server-admin set, and for a personal key only what its scopes cover. Asked per permission, so
 * a request's check builds no set.
 */
function holds(p: Principal, role: Role | null, action: OrgAction): boolean {
  const granted = (role !== null && ROLE_PERMISSIONS[role].has(action)) || (p.isServerAdmin && SERVER_ADMIN_ORG_PERMISSIONS.has(action));
  return granted && keyAllows(p, action);
}

/** Roles as data, read once per principal (a request) and org. */
const grantMemo = new WeakMap<Principal, Map<number, Promise<readonly Grant[]>>>();

/**
 * The permissions the caller holds in an org through roles stored as data. Asked only when the
 * basic role does not already decide, so most checks never read them; a non-member holds none
 * there (a member leaving loses the roles they held in the org).
 */
function extraGrants(ctx: Ctx, p: Principal, orgId: number, role: Role | null): Promise<readonly Grant[]> {
  if (role === null && !p.isServerAdmin) return Promise.resolve([]);
  let byOrg = grantMemo.get(p);
  if (!byOrg) grantMemo.set(p, (byOrg = new Map()));
  let grants = byOrg.get(orgId);
  if (!grants) {
    const builtins = [...(role ? [role] : []), ...(p.isServerAdmin ? ['Grafana Admin'] : [])];
    grants = grantsIn(ctx.db, orgId, role === null ? null : grantee(p), builtins);
    byOrg.set(orgId, grants);
  }
  return grants;
}

/** Who holds roles directly: the service account a token acts as, or the user. */
function grantee(p: Principal): Grantee | null {
  if (p.kind === 'service-account') return p.serviceAccountId === null ? null : { serviceAccountId: p.serviceAccountId };
  return p.userId === null ? null : { userId: p.userId };
}

/** Whether the stored grants hold `action` where the check reaches (the org, or one object). */
function grantsHold(p: Principal, grants: readonly Grant[], action: OrgAction, resource?: Resource): boolean {
  return keyAllows(p, action) && grants.some((g) => g.action === action && scopeReaches(g.scope, resource));
}

/** The basic role's answer, else the stored grants'. */
async function decide(ctx: Ctx, p: Principal, role: Role | null, action: OrgAction, orgId: number, resource?: Resource): Promise<boolean> {
  return holds(p, role, action) || grantsHold(p, await extraGrants(ctx, p, orgId, role), action, resource);
}

/** The caller's permission set in an org (org-wide permissions only). */
export async function permissionsIn(ctx: Ctx, p: Principal, orgId: number): Promise<ReadonlySet<OrgAction>> {
  const role = await roleIn(ctx, p, orgId);
  if (heldForTwoFactor(p, orgId, role)) return new Set();
  const grants = await extraGrants(ctx, p, orgId, role);
  return new Set(ORG_PERMISSIONS.filter((a) => holds(p, role, a) || grantsHold(p, grants, a)));
}

/** Whether the caller holds `action` across the org, or, given a resource, on that one object. */
export async function can(ctx: Ctx, p: Principal, action: OrgAction, orgId: number, resource?: Resource): Promise<boolean> {
  const role = await roleIn(ctx, p, orgId);
  return !heldForTwoFactor(p, orgId, role) && decide(ctx, p, role, action, orgId, resource);
}

/**
 * The objects of one kind on which the caller holds `action` one by one, through stored grants
 * scoped `<kind>:id:<n>`: what a list shows besides what membership or an org-wide grant reaches.
 */
export async function grantedIds(ctx: Ctx, p: Principal, action: OrgAction, orgId: number, kind: ResourceKind): Promise<number[]> {
  const role = await roleIn(ctx, p, orgId);
  if (heldForTwoFactor(p, orgId, role) || !keyAllows(p, action)) return [];
  const prefix = `${kind}:id:`;
  const ids = (await extraGrants(ctx, p, orgId, role)).filter((g) => g.action === action && g.scope.startsWith(prefix)).map((g) => Number(g.scope.slice(prefix.length)));
  // A scope may name a number no row can have (scopes.ts allows ten digits).
  return [...new Set(ids.filter(isRowId))];
}

/**
 * Whether the caller holds a permission at least as wide as `wanted`: nobody hands out what they
 * do not hold themselves (Grafana refuses a role "above" the caller's permissions).
 */
export async function holdsGrant(ctx: Ctx, p: Principal, orgId: number, wanted: Grant): Promise<boolean> {
  const role = await roleIn(ctx, p, orgId);
  if (heldForTwoFactor(p, orgId, role)) return false;
  const action = wanted.action as OrgAction;
  if (holds(p, role, action)) return true;
  const grants = await extraGrants(ctx, p, orgId, role);
  return keyAllows(p, action) && grants.some((g) => g.action === wanted.action && scopeIncludes(g.scope, wanted.scope));
}

/**
 * PostHog's enforce_2fa: a member of an org that requires two-factor authentication, signed in
 * with a password and not enrolled, holds nothing there until they enrol (the authenticator
 * names those orgs on the principal). Tokens, personal keys and SSO sessions are never held.
 */
function heldForTwoFactor(p: Principal, orgId: number, role: Role | null): boolean {
  return role !== null && !!p.twoFactorMissingIn?.has(orgId);
}

/** For callers that found the membership themselves (PostHog's levels): the same hold, as its error. */
export function checkTwoFactorHold(p: Principal, orgId: number): void {
  if (p.twoFactorMissingIn?.has(orgId)) throw forbidden('two-factor', TWO_FACTOR_REQUIRED_MESSAGE, 'two-factor-required');
}

/**
 * Throws the forbidden error naming `action` unless the caller's set in the org holds it. A
 * personal key first gets PostHog's own answer when its scopes do not cover the action.
 */
export async function authorize(ctx: Ctx, p: Principal, action: OrgAction, orgId: number, resource?: Resource): Promise<void> {
  checkKeyScope(p, action);
  const role = await roleIn(ctx, p, orgId);
  if (heldForTwoFactor(p, orgId, role)) throw forbidden(action, TWO_FACTOR_REQUIRED_MESSAGE, 'two-factor-required');
  if (!(await decide(ctx, p, role, action, orgId, resource))) throw forbidden(action);
}

/** The caller acting in another org than the request's (PostHog names the org in the URL): the same caller with their role there. */
export async function actingIn(ctx: Ctx, p: Principal, orgId: number): Promise<Principal> {
  if (orgId === p.orgId) return p;
  return { ...p, orgId, role: await roleIn(ctx, p, orgId) };
}

/** The caller's server-wide permission set (tokens are never server admins). */
export function globalPermissions(p: Principal): ReadonlySet<GlobalAction> {
  return p.isServerAdmin ? SERVER_ADMIN_GLOBAL_PERMISSIONS : new Set();
}

export function authorizeGlobal(p: Principal, action: GlobalAction): void {
  if (!globalPermissions(p).has(action)) throw forbidden(action);
}

/** Who may create orgs: server admins, and any user (not a service account) when ROSTER_ALLOW_ORG_CREATE is on. */
export function mayCreateOrg(p: Principal, allowOrgCreate: boolean): boolean {
  return globalPermissions(p).has('orgs:create') || (allowOrgCreate && p.kind !== 'service-account' && p.kind !== 'scim');
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
