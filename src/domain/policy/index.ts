// The policy: who may do what, in one place. Domain functions ask it before they read or change
// anything; faces use its vocabulary (role names, levels) to present data and translate its
// forbidden errors into their bodies, but decide nothing themselves.
export { ROLES, isRole, type Role } from '../../role-names.ts';
export { isKnownScope, isOrgWide, resourceScope, type Grant, type Resource, type ResourceKind } from './scopes.ts';
export type { AccessControlAction, GlobalAction, KeylessAction, OncallPermission, OrgAction, Permission, SelfAction } from './permissions.ts';
export { ROLE_PERMISSIONS, SERVER_ADMIN_GLOBAL_PERMISSIONS, SERVER_ADMIN_ORG_PERMISSIONS, roleIncludes } from './grants.ts';
export { TEAM_ADMIN, TEAM_MEMBER, teamGrants, type TeamAction } from './team-admin.ts';
export { ONCALL_ROLE } from './oncall-roles.ts';
export * from './posthog-levels.ts';
export { KEY_SCOPE_MESSAGES, SCOPE_OF, checkKeyManagement, checkKeyScope, keyOrgFilter, scopesHold, type KeyOrg } from './key-scopes.ts';
export {
  actingIn,
  authorize,
  authorizeGlobal,
  can,
  checkTwoFactorHold,
  TWO_FACTOR_REQUIRED_MESSAGE,
  globalPermissions,
  grantedIds,
  holdsGrant,
  ORG_PERMISSIONS,
  mayCreateOrg,
  permissionsIn,
  requireSelf,
  roleIn,
  targetUser,
  type UserRef,
} from './decide.ts';
