// Team membership as a permission source: a team admin holds the team actions on that one team
// (Grafana's managed team roles and its team permission enum; docs/compat/grafana.md).
import type { OrgAction } from './permissions.ts';

/** Grafana's team permission levels (the dashboard-permission enum). */
export const TEAM_MEMBER = 0;
export const TEAM_ADMIN = 4;

export type TeamAction = Extract<OrgAction, 'teams:read' | 'teams:write' | 'teams:delete' | 'teams.permissions:read' | 'teams.permissions:write'>;

/** What a team membership grants on that one team. */
export const TEAM_PERMISSIONS: Record<number, ReadonlySet<TeamAction>> = {
  [TEAM_MEMBER]: new Set(['teams:read']),
  [TEAM_ADMIN]: new Set(['teams:read', 'teams:write', 'teams:delete', 'teams.permissions:read', 'teams.permissions:write']),
};

export function teamGrants(permission: number | null, action: TeamAction): boolean {
  return permission !== null && !!TEAM_PERMISSIONS[permission]?.has(action);
}
