// What a PostHog org member may read about the org and its people: the member list, a member named
// by uuid or @me, a member's keys reaching the org, the user behind an invite or integration, the
// active member count, the org's roles and who holds them (PostHog's RoleViewSet lets every member
// read). Each read checks that the caller belongs to the org, as every PostHog
// organization-nested endpoint does (docs/compat/posthog.md#members, #scopes).
import { withPermissions, roleNotFound, type Role } from './access-roles.ts';
import type { Ctx } from './context.ts';
import { forbidden } from './errors.ts';
import { getMembership, queryMembers, type Member, type MemberSearch } from './members.ts';
import { keysReachingOrg, type PersonalKey } from './personal-keys.ts';
import { checkKeyScope } from './policy/index.ts';
import { callerLevel } from './posthog-members.ts';
import type { Principal } from './principal.ts';
import * as membersStore from '../store/org-members.ts';
import * as rolesStore from '../store/access-control.ts';
import { findUser, findUserByUuid, type User } from './users.ts';

/** Throws PostHog's 403 unless the caller is a member of the org. */
async function requireMember(ctx: Ctx, p: Principal, orgId: number): Promise<void> {
  if ((await callerLevel(ctx, p, orgId)) === null) throw forbidden('posthog.member', 'You do not have permission to perform this action.');
}

/** The org's members matching `q`. */
export async function listOrgMembers(ctx: Ctx, p: Principal, orgId: number, q: MemberSearch): Promise<{ total: number; members: Member[] }> {
  await requireMember(ctx, p, orgId);
  return queryMembers(ctx, orgId, q);
}

/** The user a member path names: `@me` is the caller, anything else a user uuid; undefined when nobody matches. */
export async function memberPathUser(ctx: Ctx, p: Principal, orgId: number, value: string): Promise<User | undefined> {
  await requireMember(ctx, p, orgId);
  if (value === '@me' && p.userId !== null) return findUser(ctx.db, p.userId);
  return findUserByUuid(ctx, value);
}

/** A member's personal keys that can reach the org; undefined when the user is not a member. Keys may never read this. */
export async function memberKeysReachingOrg(ctx: Ctx, p: Principal, org: { id: number; uuid: string }, userId: number): Promise<PersonalKey[] | undefined> {
  checkKeyScope(p, 'org.users.keys:read');
  await requireMember(ctx, p, org.id);
  if (!(await getMembership(ctx, org.id, userId))) return undefined;
  return keysReachingOrg(ctx, userId, org.uuid);
}

/** The user who created one of the org's invites or integrations (they may have left it since). */
export async function orgRecordCreator(ctx: Ctx, p: Principal, orgId: number, userId: number | null): Promise<User | undefined> {
  await requireMember(ctx, p, orgId);
  return userId === null ? undefined : findUser(ctx.db, userId);
}

/** Members of the org whose user is active (PostHog's member_count). */
export async function activeMemberCount(ctx: Ctx, p: Principal, orgId: number): Promise<number> {
  await requireMember(ctx, p, orgId);
  return membersStore.countActiveMembers(ctx.db, orgId);
}

/** The org's own custom roles (global ones are not the org's), with their permissions. */
export async function orgRoles(ctx: Ctx, p: Principal, orgId: number): Promise<Role[]> {
  await requireMember(ctx, p, orgId);
  return withPermissions(
    ctx.db,
    (await rolesStore.rolesOf(ctx.db, orgId)).filter((r) => r.org_id === orgId),
  );
}

/** One of the org's own roles by uid; a global or another org's uid is not found. */
export async function orgRole(ctx: Ctx, p: Principal, orgId: number, uid: string): Promise<Role> {
  await requireMember(ctx, p, orgId);
  const row = await rolesStore.findRole(ctx.db, orgId, uid);
  if (!row || row.org_id !== orgId) throw roleNotFound();
  return (await withPermissions(ctx.db, [row]))[0];
}

/** The members of the org holding one of its roles, with when they got it. */
export async function orgRoleMembers(ctx: Ctx, p: Principal, orgId: number, role: Role) {
  await requireMember(ctx, p, orgId);
  return rolesStore.roleUserRows(ctx.db, orgId, role.id);
}
