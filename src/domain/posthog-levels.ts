// PostHog's membership levels (member 1, admin 8, owner 15) over Roster's roles, and PostHog's
// rules for who may change or remove whom (docs/compat/posthog.md#membership-levels). Admin+owner
// is 15, Admin is 8, Editor/Viewer/None are 1 (docs/compat/decisions.md#roles-across-faces).
import type { Ctx } from './context.ts';
import { forbidden, invalid, notFound } from './errors.ts';
import { getMembership, removeMember, updateMemberRole } from './members.ts';
import type { Principal } from './principal.ts';
import { isRole, posthogLevel, type Role } from './roles.ts';

export type Level = 1 | 8 | 15;
export const MEMBER: Level = 1;
export const ADMIN: Level = 8;
export const OWNER: Level = 15;
export const LEVELS: readonly Level[] = [MEMBER, ADMIN, OWNER];

/** PostHog's texts, quoted by its clients and tests. */
export const LEVEL_MESSAGES = {
  insufficient: 'Your organization access level is insufficient.',
  notAdminForDelete: 'You do not have admin access to this resource.',
  ownChange: "You can't change your own access level.",
  ownerOnly: "You can only make another member owner if you're this organization's owner.",
  higherThanOwn: 'You can only change access level of others to lower or equal to your current one.',
  adminsOnly: 'You can only edit others if you are an admin.',
  lowerOrEqual: 'You can only edit others with level lower or equal to you.',
  ownerLeave: 'Cannot leave the organization as its owner!',
  inviteHigher: 'You cannot invite a user with a higher permission level than your own.',
} as const;

export function isLevel(value: unknown): value is Level {
  return value === 1 || value === 8 || value === 15;
}

export function levelOf(m: { role: string; is_owner: number | boolean }): Level {
  return posthogLevel(isRole(m.role) ? m.role : 'None', !!m.is_owner);
}

/** The role a level maps to: 8 and 15 are Admin; 1 keeps a non-admin role, and an Admin becomes a Viewer. */
export function roleForLevel(level: Level, current: Role | null): Role {
  if (level !== MEMBER) return 'Admin';
  return current && current !== 'Admin' ? current : 'Viewer';
}

/** The caller's level in an org, null when they are not a member. */
export async function callerLevel(ctx: Ctx, p: Principal, orgId: number): Promise<Level | null> {
  if (p.userId === null) return null;
  const m = await getMembership(ctx, orgId, p.userId);
  return m ? levelOf(m) : null;
}

/** Throws PostHog's 403 unless the caller holds at least `min` in the org. */
export async function requireLevel(ctx: Ctx, p: Principal, orgId: number, min: Level, message: string = LEVEL_MESSAGES.insufficient): Promise<Level> {
  const level = await callerLevel(ctx, p, orgId);
  if (level === null || level < min) throw forbidden('posthog.level', message, 'posthog.level');
  return level;
}

const deny = (message: string) => forbidden('posthog.level', message, 'posthog.level');

async function pair(ctx: Ctx, p: Principal, orgId: number, targetUserId: number) {
  if (p.userId === null) throw deny(LEVEL_MESSAGES.adminsOnly);
  const requester = await getMembership(ctx, orgId, p.userId);
  if (!requester) throw forbidden('posthog.member', 'You do not have permission to perform this action.');
  const target = await getMembership(ctx, orgId, targetUserId);
  if (!target) throw notFound('member.not-found', 'Not found.');
  return { requester, target, self: requester.user_id === target.user_id, rLevel: levelOf(requester), tLevel: levelOf(target) };
}

/** PostHog's object permission on a member: yourself, or someone at or below your level if you are an admin. */
function checkMayEdit(self: boolean, rLevel: Level, tLevel: Level): void {
  if (self) return;
  if (rLevel < ADMIN) throw deny(LEVEL_MESSAGES.adminsOnly);
  if (tLevel > rLevel) throw deny(LEVEL_MESSAGES.lowerOrEqual);
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
  if (self) throw deny(LEVEL_MESSAGES.ownChange);
  if (level === OWNER && rLevel !== OWNER) throw deny(LEVEL_MESSAGES.ownerOnly);
  if (level !== OWNER && level > rLevel) throw deny(LEVEL_MESSAGES.higherThanOwn);
  const current = isRole(target.role) ? target.role : null;
  await updateMemberRole(ctx, p, orgId, targetUserId, roleForLevel(level, current), { isOwner: level === OWNER });
}

/** Leaving (yourself) or removing (an admin removes someone at or below them); owners can do neither. */
export async function leaveOrRemoveMember(ctx: Ctx, p: Principal, orgId: number, targetUserId: number): Promise<void> {
  const { self, rLevel, tLevel } = await pair(ctx, p, orgId, targetUserId);
  checkMayEdit(self, rLevel, tLevel);
  if (tLevel === OWNER) throw invalid('posthog.owner-leave', LEVEL_MESSAGES.ownerLeave);
  // PostHog's rules above already decided; Grafana's org.users:remove would refuse a plain member leaving.
  await removeMember(ctx, p, orgId, targetUserId, { authorized: true });
}
