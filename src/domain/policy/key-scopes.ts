// How a PostHog personal API key narrows its owner's permissions: each permission is covered by
// one PostHog scope (docs/compat/posthog.md#scopes); a key holds only the permissions its scopes
// cover, and, when limited to some orgs, none outside them.
import { forbidden } from '../errors.ts';
import type { Principal } from '../principal.ts';
import type { Permission } from './permissions.ts';

/** PostHog's texts for a key that may not do something. */
export const KEY_SCOPE_MESSAGES = {
  unsupported: 'This action does not support Personal API Key access',
  noScopes: 'This personal API key has no scopes: give it at least one scope.',
  missingScope: (scope: string) => `API key missing required scope '${scope}'`,
  outOfScopeOrg: (uuid: string) => `API key does not have access to the requested organization: ID ${uuid}.`,
  orgDisallows: (name: string) => `Organization '${name}' does not allow using personal API keys. Contact an admin to enable personal API keys for this organization.`,
} as const;

/** The scope that covers each permission a key may use; a permission not listed cannot be used with a key. */
export const SCOPE_OF: Partial<Record<Permission, string>> = {
  'orgs:create': 'organization:write',
  'orgs:read': 'organization:read',
  'orgs:write': 'organization:write',
  'orgs:delete': 'organization:write',
  'org.users:read': 'organization_member:read',
  'org.users:add': 'organization_member:write',
  'org.users:write': 'organization_member:write',
  'org.users:remove': 'organization_member:write',
  'org.integrations:read': 'organization_integration:read',
  'org.integrations:write': 'organization_integration:write',
  // PostHog's roles and their memberships are organization objects (RoleViewSet's scope_object).
  'roles:read': 'organization:read',
  'roles:write': 'organization:write',
  'roles:delete': 'organization:write',
  'users.roles:read': 'organization:read',
  'users.roles:add': 'organization:write',
  'users.roles:remove': 'organization:write',
  'user.self:read': 'user:read',
  'user.self:write': 'user:write',
};

/** The org a key reaches, as far as its limits need to know it. */
export interface KeyOrg {
  uuid: string;
  name: string;
  membersCanUsePersonalApiKeys: boolean;
}

/** Whether a scope list holds a scope: `*` holds all, and `x:write` includes `x:read`. */
export function scopesHold(scopes: readonly string[], scope: string): boolean {
  if (scopes.includes('*') || scopes.includes(scope)) return true;
  const [object, action] = scope.split(':');
  return action === 'read' && scopes.includes(`${object}:write`);
}

const deny = (message: string) => forbidden('personal-key', message, 'pak.scope');

/**
 * PostHog's APIScopePermission for a personal key, in its order: unsupported actions, org
 * restrictions (an org that refuses members' keys; orgs outside the key's list), then the scope.
 * Other principals pass. A key without scopes (stored before they were required) may do nothing,
 * where PostHog would let such a "legacy" key do everything.
 */
export function checkKeyScope(p: Principal, permission: Permission, org?: KeyOrg, level?: number | null): void {
  if (p.kind !== 'personal-key') return;
  const scopes = p.scopes ?? [];
  if (!scopes.length) throw deny(KEY_SCOPE_MESSAGES.noScopes);
  const scope = SCOPE_OF[permission];
  if (scope === undefined) throw deny(KEY_SCOPE_MESSAGES.unsupported);
  if (!scope.startsWith('user:') && org) {
    if (!org.membersCanUsePersonalApiKeys && level != null && level < 8) throw deny(KEY_SCOPE_MESSAGES.orgDisallows(org.name));
    if (p.scopedOrgs?.length && !p.scopedOrgs.includes(org.uuid)) throw deny(KEY_SCOPE_MESSAGES.outOfScopeOrg(org.uuid));
  }
  if (!scopesHold(scopes, scope)) throw deny(KEY_SCOPE_MESSAGES.missingScope(scope));
}

/** Keys are managed with a session or Basic, never with a key; a key may only read itself (PostHog). */
export function checkKeyManagement(p: Principal, keyId?: number): void {
  if (p.kind !== 'personal-key' || (keyId !== undefined && p.tokenId === keyId)) return;
  throw deny(KEY_SCOPE_MESSAGES.unsupported);
}

/** The orgs a key is limited to, or null when it reaches all of its owner's orgs. */
export function keyOrgFilter(p: Principal): string[] | null {
  if (p.kind !== 'personal-key') return null;
  return p.scopedOrgs?.length ? p.scopedOrgs : null;
}
