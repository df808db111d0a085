// PostHog's membership levels (member 1, admin 8, owner 15) over Roster's roles, and PostHog's
// rules for who may change or remove whom (docs/compat/posthog.md#membership-levels). Admin+owner
// is 15, Admin is 8, Editor/Viewer/None are 1 (docs/compat/decisions.md#roles-across-faces).
import { isRole, type Role } from '../../role-names.ts';
import { forbidden, invalid } from '../errors.ts';

export type Level = 1 | 8 | 15;
export const MEMBER: Level = 1;
export const ADMIN: Level = 8;
export const OWNER: Level = 15;

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

/** A role (and the owner flag) as a PostHog level. */
export function posthogLevel(role: Role, isOwner: boolean): Level {
  if (role === 'Admin') return isOwner ? OWNER : ADMIN;
  return MEMBER;
}

export function levelOf(m: { role: string; is_owner: number | boolean }): Level {
  return posthogLevel(isRole(m.role) ? m.role : 'None', !!m.is_owner);
}

/** The role a level maps to: 8 and 15 are Admin; 1 keeps a non-admin role, and an Admin becomes a Viewer. */
export function roleForLevel(level: Level, current: Role | null): Role {
  if (level !== MEMBER) return 'Admin';
  return current && current !== 'Admin' ? current : 'Viewer';
}

export const levelDenied = (message: string) => forbidden('posthog.level', message, 'posthog.level');

/** Throws PostHog's 403 unless `level` is at least `min`; a non-member (null) never is. */
export function requireLevelOf(level: Level | null, min: Level, message: string = LEVEL_MESSAGES.insufficient): Level {
  if (level === null || level < min) throw levelDenied(message);
  return level;
}

/** PostHog's object permission on a member: yourself, or someone at or below your level if you are an admin. */
export function checkMayEdit(self: boolean, requester: Level, target: Level): void {
  if (self) return;
  if (requester < ADMIN) throw levelDenied(LEVEL_MESSAGES.adminsOnly);
  if (target > requester) throw levelDenied(LEVEL_MESSAGES.lowerOrEqual);
}

/** Which level a requester may give: never their own, owner only by an owner, never above their own. */
export function checkMaySetLevel(self: boolean, requester: Level, level: Level): void {
  if (self) throw levelDenied(LEVEL_MESSAGES.ownChange);
  if (level === OWNER && requester !== OWNER) throw levelDenied(LEVEL_MESSAGES.ownerOnly);
  if (level !== OWNER && level > requester) throw levelDenied(LEVEL_MESSAGES.higherThanOwn);
}

/**
 * Leaving or removing: any member may remove themselves, an admin anyone at or below them; an
 * owner can be neither removed nor leave.
 */
export function checkMayRemove(self: boolean, requester: Level, target: Level): void {
  checkMayEdit(self, requester, target);
  if (target === OWNER) throw invalid('posthog.owner-leave', LEVEL_MESSAGES.ownerLeave);
}

/** Only owners delete (PostHog: members are told they lack admin access, admins that their level is too low). */
export function checkMayDeleteOrg(level: Level | null): void {
  if (level === null || level < ADMIN) throw levelDenied(LEVEL_MESSAGES.notAdminForDelete);
  if (level < OWNER) throw levelDenied(LEVEL_MESSAGES.insufficient);
}
