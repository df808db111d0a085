// The one role model and the permission catalogue. Faces translate these words into their own.

export const ROLES = ['Admin', 'Editor', 'Viewer', 'None'] as const;
export type Role = (typeof ROLES)[number];

/** Grafana's role validation is case-sensitive: "admin" is not a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

const RANK: Record<Role, number> = { Admin: 3, Editor: 2, Viewer: 1, None: 0 };

/** Admin includes Editor includes Viewer includes None (Grafana's `Includes`). */
export function roleIncludes(holder: Role, wanted: Role): boolean {
  return RANK[holder] >= RANK[wanted];
}

/**
 * Actions, named as Grafana's RBAC actions so the Grafana face can quote them in its 403 body.
 * Org-scoped actions are granted by the caller's role in that org; global ones only to server admins.
 */
export type OrgAction =
  | 'orgs:read'
  | 'orgs:write'
  | 'orgs.preferences:read'
  | 'orgs.preferences:write'
  | 'org.users:read'
  | 'org.users:add'
  | 'org.users:write'
  | 'org.users:remove'
  | 'teams:read'
  | 'teams:create'
  | 'teams:write'
  | 'teams:delete'
  | 'teams.permissions:read'
  | 'teams.permissions:write'
  | 'serviceaccounts:read'
  | 'serviceaccounts:create'
  | 'serviceaccounts:write'
  | 'serviceaccounts:delete'
  | 'orgs:delete'
  | OncallPermission;

/**
 * Grafana IRM (OnCall) plugin permissions as the seeds name them. Granted from the Roster role
 * as OnCall's legacy role fallback does: reads for Viewer and up, settings writes for Admin.
 */
export type OncallPermission =
  | 'grafana-irm-app.other-settings:read'
  | 'grafana-irm-app.other-settings:write'
  | 'grafana-irm-app.user-settings:read';

export type GlobalAction =
  | 'orgs:create'
  | 'orgs:read'
  | 'orgs:delete'
  | 'users:read'
  | 'users:write'
  | 'users:create'
  | 'users:delete'
  | 'users:disable'
  | 'users:enable'
  | 'users.password:write'
  | 'users.permissions:write';

const ONCALL_READ: OrgAction[] = ['grafana-irm-app.other-settings:read', 'grafana-irm-app.user-settings:read'];
const VIEWER: OrgAction[] = ['orgs:read', 'teams:read'];
const ADMIN: OrgAction[] = [
  ...VIEWER,
  ...ONCALL_READ,
  'grafana-irm-app.other-settings:write',
  'orgs:write',
  'orgs.preferences:read',
  'orgs.preferences:write',
  'org.users:read',
  'org.users:add',
  'org.users:write',
  'org.users:remove',
  'teams:create',
  'teams:write',
  'teams:delete',
  'teams.permissions:read',
  'teams.permissions:write',
  'serviceaccounts:read',
  'serviceaccounts:create',
  'serviceaccounts:write',
  'serviceaccounts:delete',
];

export const ROLE_GRANTS: Record<Role, ReadonlySet<OrgAction>> = {
  Admin: new Set(ADMIN),
  Editor: new Set([...VIEWER, ...ONCALL_READ]),
  Viewer: new Set([...VIEWER, ...ONCALL_READ]),
  None: new Set(),
};

/** What a server admin may do in every org, member or not (Grafana's `fixed:organization:maintainer` and `fixed:org.users:writer`). */
export const SERVER_ADMIN_ORG_GRANTS: ReadonlySet<OrgAction> = new Set<OrgAction>([
  'orgs:read',
  'orgs:write',
  'orgs:delete',
  'org.users:read',
  'org.users:add',
  'org.users:write',
  'org.users:remove',
]);

/** OnCall names the roles differently (docs/compat/decisions.md#roles-across-faces). None is not an OnCall user at all. */
export const ONCALL_ROLE: Record<Role, 'admin' | 'user' | 'observer' | null> = {
  Admin: 'admin',
  Editor: 'user',
  Viewer: 'observer',
  None: null,
};

/** PostHog membership levels: owner 15, admin 8, member 1. */
export function posthogLevel(role: Role, isOwner: boolean): 1 | 8 | 15 {
  if (role === 'Admin') return isOwner ? 15 : 8;
  return 1;
}
