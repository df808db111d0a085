// Which permission set each Roster role holds in an org, and what server admins hold in every
// org. Roles are names for permission sets: decisions ask the set, never the role name.
import type { Role } from '../../role-names.ts';
import type { GlobalAction, OrgAction } from './permissions.ts';

// Grafana's fixed:roles:writer, fixed:users.roles:writer and fixed:teams.roles:writer, which its Admin basic role holds.
const ACCESS_CONTROL: OrgAction[] = [
  'roles:read',
  'roles:write',
  'roles:delete',
  'users.roles:read',
  'users.roles:add',
  'users.roles:remove',
  'teams.roles:read',
  'teams.roles:add',
  'teams.roles:remove',
];
const ONCALL_READ: OrgAction[] = ['grafana-irm-app.other-settings:read', 'grafana-irm-app.user-settings:read'];
// orgs.quotas:read: Grafana's fixed:organization:reader, granted to Viewer (so every basic role) and Grafana Admin.
const VIEWER: OrgAction[] = ['orgs:read', 'orgs.quotas:read', 'teams:read', 'org.integrations:read', ...ONCALL_READ];
const ADMIN: OrgAction[] = [
  ...VIEWER,
  'grafana-irm-app.other-settings:write',
  'orgs:write',
  'orgs.preferences:read',
  'orgs.preferences:write',
  'org.users:read',
  'org.users:add',
  'org.users:write',
  'org.users:remove',
  'org.integrations:write',
  'teams:create',
  'teams:write',
  'teams:delete',
  'teams.permissions:read',
  'teams.permissions:write',
  'serviceaccounts:read',
  'serviceaccounts:create',
  'serviceaccounts:write',
  'serviceaccounts:delete',
  'serviceaccounts.permissions:read',
  'serviceaccounts.permissions:write',
  ...ACCESS_CONTROL,
];

/** The one role table: a role's permission set in an org (Grafana's basic roles; docs/compat/decisions.md#roles-across-faces). */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<OrgAction>> = {
  Admin: new Set(ADMIN),
  Editor: new Set(VIEWER),
  Viewer: new Set(VIEWER),
  None: new Set(),
};

/** What a server admin may do in every org, member or not (Grafana's `fixed:organization:maintainer` and `fixed:org.users:writer`). */
export const SERVER_ADMIN_ORG_PERMISSIONS: ReadonlySet<OrgAction> = new Set<OrgAction>([
  'orgs:read',
  'orgs:write',
  'orgs:delete',
  'orgs.quotas:read',
  'orgs.quotas:write',
  'org.users:read',
  'org.users:add',
  'org.users:write',
  'org.users:remove',
  ...ACCESS_CONTROL,
]);

/** What a server admin may do on the whole server; nobody else holds any of it. */
export const SERVER_ADMIN_GLOBAL_PERMISSIONS: ReadonlySet<GlobalAction> = new Set<GlobalAction>([
  'orgs:create',
  'orgs:read',
  'orgs:delete',
  'users:read',
  'users:write',
  'users:create',
  'users:delete',
  'users:disable',
  'users:enable',
  'users.password:write',
  'users.permissions:write',
  'users.authtoken:read',
  'users.authtoken:write',
  'users.logout',
  'users.quotas:read',
  'users.quotas:write',
]);

const RANK: Record<Role, number> = { Admin: 3, Editor: 2, Viewer: 1, None: 0 };

/** Admin includes Editor includes Viewer includes None (Grafana's `Includes`): who may hand out which role. */
export function roleIncludes(holder: Role, wanted: Role): boolean {
  return RANK[holder] >= RANK[wanted];
}
