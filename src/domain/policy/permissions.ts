// The permission catalogue: every action a caller may be allowed, named as Grafana's RBAC
// actions so the Grafana face can quote them in its 403 body (docs/compat/grafana.md).

/**
 * Grafana IRM (OnCall) plugin permissions as the seeds name them (docs/compat/oncall.md).
 * Granted from the Roster role as OnCall's legacy role fallback does.
 */
export type OncallPermission = 'grafana-irm-app.other-settings:read' | 'grafana-irm-app.other-settings:write' | 'grafana-irm-app.user-settings:read';

/** Actions inside one org, granted by the caller's permission set in that org (grants.ts). */
export type OrgAction =
  | 'orgs:read'
  | 'orgs:write'
  | 'orgs.preferences:read'
  | 'orgs.preferences:write'
  | 'org.users:read'
  | 'org.users:add'
  | 'org.users:write'
  | 'org.users:remove'
  | 'org.integrations:read'
  | 'org.integrations:write'
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
  | 'orgs.quotas:read'
  | 'orgs.quotas:write'
  | 'serviceaccounts.permissions:read'
  | 'serviceaccounts.permissions:write'
  | AccessControlAction
  | OncallPermission;

/** Managing roles and who holds them (Grafana's RBAC API; docs/access-control.md). */
export type AccessControlAction =
  'roles:read' | 'roles:write' | 'roles:delete' | 'users.roles:read' | 'users.roles:add' | 'users.roles:remove' | 'teams.roles:read' | 'teams.roles:add' | 'teams.roles:remove';

/** Actions on the whole server: only server admins hold them. */
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
  | 'users.permissions:write'
  | 'users.authtoken:read'
  | 'users.authtoken:write'
  | 'users.logout'
  | 'users.quotas:read'
  | 'users.quotas:write';

/** What every signed-in user may do with their own account; a personal key needs the matching scope. */
export type SelfAction = 'user.self:read' | 'user.self:write';

/** Actions no PostHog scope covers, so a personal key may never do them (PostHog: "does not support Personal API Key access"). */
export type KeylessAction = 'org.users.keys:read' | 'org.integrations.environments:write';

export type Permission = OrgAction | GlobalAction | SelfAction | KeylessAction;
