// PostHog's member operations: the caller's level, changing a member's level, leaving or removing,
// each decided by PostHog's level rules (policy/posthog-levels.ts; docs/compat/posthog.md#membership-levels).
import type { Ctx } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { deleteMembership, getMembership, updateMemberRole } from './members.ts';
import { checkMayEdit, checkMayRemove, checkMaySetLevel, isRole, LEVEL_MESSAGES, levelDenied, levelOf, OWNER, requireLevelOf, roleForLevel, type Level } from './policy/index.ts';
import type { Principal } from './principal.ts';

/** The caller's level in an org, null when they are not a member. */
export async function callerLevel(ctx: Ctx, p: Principal, orgId: number): Promise<Level | null> {
  if (p.userId === null) return null;
  const m = await getMembership(ctx, orgId, p.userId);
  return m ? levelOf(m) : null;
}

/** Throws PostHog's 403 unless the caller holds at least `min` in the org. */
export async function requireLevel(ctx: Ctx, p: Principal, orgId: number, min: Level, message: string = LEVEL_MESSAGES.insufficient): Promise<Level> {
  return requireLevelOf(await callerLevel(ctx, p, orgId), min, message);
}

async function pair(ctx: Ctx, p: Principal, orgId: number, targetUserId: number) {
  if (p.userId === null) throw levelDenied(LEVEL_MESSAGES.adminsOnly);
  const requester = await getMembership(ctx, orgId, p.userId);
  if (!requester) throw forbidden('posthog.member', 'You do not have permission to perform this action.');
  const target = await getMembership(ctx, orgId, targetUserId);
  if (!target) throw notFound('member.not-found', 'Not found.');
  return { requester, target, self: requester.user_id === target.user_id, rLevel: levelOf(requester), tLevel: levelOf(target) };
}

/** Checks the object permission only (PostHog checks it before validating the body). */
export async function authorizeMemberEdit(ctx: Ctx, p: Principal, orgId: number, targetUserId: number): Promise<void> {
  const { self, rLevel, tLevel } = await pair(ctx, p, orgId, targetUserId);
  checkMayEdit(self, rLevel, tLevel);
}

/** Sets another member's level. Ownership is added, not transferred: the requester stays owner. */
export async function changeMemberLevel(ctx: Ctx, p: Principal, orgId: number, targetUserId: number, level: Level | undefined): Promise<void> {
  const { target, self, rLevel, tLevel } = await pair(ctx, p, orgId, targetUserId);
  checkMayEdit(self, rLevel, tLevel);
  if (level === undefined) return;
  checkMaySetLevel(self, rLevel, level);
  const current = isRole(target.role) ? target.role : null;
  await updateMemberRole(ctx, p, orgId, targetUserId, roleForLevel(level, current), { isOwner: level === OWNER });
}

/** Leaving (yourself) or removing (an admin removes someone at or below them); owners can do neither. */
export async function leaveOrRemoveMember(ctx: Ctx, p: Principal, orgId: number, targetUserId: number): Promise<void> {
  const { self, rLevel, tLevel } = await pair(ctx, p, orgId, targetUserId);
  checkMayRemove(self, rLevel, tLevel);
  await deleteMembership(ctx, p, orgId, targetUserId);
}
