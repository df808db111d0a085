// Single sign-on settings (one OpenID provider, as Grafana's [auth.generic_oauth]), checked at
// start so a typo in a mapping or an expression stops the server instead of locking people out.
import { compile } from '@jmespath-community/jmespath';
import { ConfigError, parseBool } from './config-parse.ts';
import { isRole, type Role } from './role-names.ts';

export const OIDC_SETTINGS = {
  oidcIssuer: { env: 'ROSTER_OIDC_ISSUER', flag: 'oidc-issuer', default: undefined },
  oidcClientId: { env: 'ROSTER_OIDC_CLIENT_ID', flag: 'oidc-client-id', default: undefined },
  oidcClientSecret: { env: 'ROSTER_OIDC_CLIENT_SECRET', flag: 'oidc-client-secret', default: undefined },
  oidcName: { env: 'ROSTER_OIDC_NAME', flag: 'oidc-name', default: 'OAuth' },
  oidcScopes: { env: 'ROSTER_OIDC_SCOPES', flag: 'oidc-scopes', default: 'openid email profile' },
  oidcAllowSignUp: { env: 'ROSTER_OIDC_ALLOW_SIGN_UP', flag: 'oidc-allow-sign-up', default: 'true' },
  oidcAllowedDomains: { env: 'ROSTER_OIDC_ALLOWED_DOMAINS', flag: 'oidc-allowed-domains', default: '' },
  oidcAllowedGroups: { env: 'ROSTER_OIDC_ALLOWED_GROUPS', flag: 'oidc-allowed-groups', default: '' },
  oidcAutoLogin: { env: 'ROSTER_OIDC_AUTO_LOGIN', flag: 'oidc-auto-login', default: 'false' },
  oidcRoleAttributePath: { env: 'ROSTER_OIDC_ROLE_ATTRIBUTE_PATH', flag: 'oidc-role-attribute-path', default: '' },
  oidcRoleAttributeStrict: { env: 'ROSTER_OIDC_ROLE_ATTRIBUTE_STRICT', flag: 'oidc-role-attribute-strict', default: 'false' },
  oidcAllowAssignGrafanaAdmin: { env: 'ROSTER_OIDC_ALLOW_ASSIGN_GRAFANA_ADMIN', flag: 'oidc-allow-assign-grafana-admin', default: 'false' },
  oidcGroupsAttributePath: { env: 'ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH', flag: 'oidc-groups-attribute-path', default: '' },
  oidcOrgMapping: { env: 'ROSTER_OIDC_ORG_MAPPING', flag: 'oidc-org-mapping', default: '' },
} as const;

type OidcSettingName = keyof typeof OIDC_SETTINGS;

/** One `group:org:role` entry of ROSTER_OIDC_ORG_MAPPING; `*` as group matches everyone, as org every org. */
export interface OrgMappingEntry {
  group: string;
  org: { kind: 'id'; id: number } | { kind: 'name'; name: string } | { kind: 'all' };
  role: Role;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Unset: a public client (PKCE alone, no client authentication at the token endpoint). */
  clientSecret: string | undefined;
  /** The sign-in button says "Sign in with <name>". */
  name: string;
  scopes: string[];
  allowSignUp: boolean;
  /** Lower-case email domains; empty: any. */
  allowedDomains: string[];
  /** Empty: any (or no) group. */
  allowedGroups: string[];
  autoLogin: boolean;
  roleAttributePath: string;
  roleAttributeStrict: boolean;
  allowAssignGrafanaAdmin: boolean;
  groupsAttributePath: string;
  orgMapping: OrgMappingEntry[];
  /** ROSTER_PUBLIC_URL + /login/generic_oauth, the redirect URI registered at the provider. */
  redirectUri: string;
}

/**
 * A list setting: a JSON array of strings, or values separated by spaces or commas (Grafana's
 * list format; a JSON array is the way to write a group name holding a comma or a space).
 */
export function parseList(name: string, value: string): string[] {
  const v = value.trim();
  if (v.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw new ConfigError(`${name} starts with "[" but is not a JSON array of strings`);
    }
    if (!Array.isArray(parsed) || !parsed.every((e) => typeof e === 'string')) throw new ConfigError(`${name} must be a JSON array of strings`);
    return parsed.map((e) => e.trim()).filter(Boolean);
  }
  return v.split(/[\s,]+/).filter(Boolean);
}

/** `group:org:role`, colons inside a group name escaped as `\:`; role defaults to Viewer, as Grafana. */
export function parseOrgMapping(value: string): OrgMappingEntry[] {
  return parseList('ROSTER_OIDC_ORG_MAPPING', value).map((entry) => {
    const parts = entry.split(/(?<!\\):/).map((p) => p.replace(/\\:/g, ':'));
    if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) {
      throw new ConfigError(`ROSTER_OIDC_ORG_MAPPING entries are group:org:role (org an id, a name or *), got "${entry}"`);
    }
    const [group, org, role = 'Viewer'] = parts;
    if (!isRole(role)) throw new ConfigError(`ROSTER_OIDC_ORG_MAPPING roles are Admin, Editor, Viewer or None, got "${role}" in "${entry}"`);
    const target: OrgMappingEntry['org'] = org === '*' ? { kind: 'all' } : /^\d+$/.test(org) ? { kind: 'id', id: Number(org) } : { kind: 'name', name: org };
    return { group, org: target, role };
  });
}

function checkExpression(name: string, expr: string): string {
  if (!expr) return expr;
  try {
    compile(expr);
  } catch (err) {
    throw new ConfigError(`${name} is not a JMESPath expression (${(err as Error).message}): "${expr}"`);
  }
  return expr;
}

/** The provider's settings, or undefined when ROSTER_OIDC_ISSUER is unset (then no other OIDC setting may be). */
export function oidcSettings(raw: (name: OidcSettingName) => string | undefined, publicUrl: string): OidcConfig | undefined {
  const issuer = raw('oidcIssuer')?.trim();
  const clientId = raw('oidcClientId')?.trim();
  const clientSecret = raw('oidcClientSecret') || undefined;
  if (!issuer) {
    if (clientId || clientSecret) throw new ConfigError('ROSTER_OIDC_CLIENT_ID or ROSTER_OIDC_CLIENT_SECRET is set but ROSTER_OIDC_ISSUER is not: set the issuer to enable single sign-on');
    return undefined;
  }
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    throw new ConfigError(`ROSTER_OIDC_ISSUER must be the provider's issuer URL (its discovery document is at /.well-known/openid-configuration under it), got "${issuer}"`);
  }
  if (issuerUrl.protocol !== 'https:' && issuerUrl.protocol !== 'http:') throw new ConfigError(`ROSTER_OIDC_ISSUER must be an http(s) URL, got "${issuer}"`);
  if (!clientId) throw new ConfigError('ROSTER_OIDC_CLIENT_ID must be set with ROSTER_OIDC_ISSUER: the client id registered at the provider');
  const scopes = parseList('ROSTER_OIDC_SCOPES', raw('oidcScopes') ?? '');
  if (!scopes.includes('openid')) throw new ConfigError(`ROSTER_OIDC_SCOPES must include openid (an ID token is required), got "${raw('oidcScopes')}"`);
  const allowedDomains = parseList('ROSTER_OIDC_ALLOWED_DOMAINS', raw('oidcAllowedDomains') ?? '').map((d) => d.toLowerCase().replace(/^@/, ''));
  const allowedGroups = parseList('ROSTER_OIDC_ALLOWED_GROUPS', raw('oidcAllowedGroups') ?? '');
  const orgMapping = parseOrgMapping(raw('oidcOrgMapping') ?? '');
  const groupsAttributePath = checkExpression('ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH', (raw('oidcGroupsAttributePath') ?? '').trim());
  // Without groups, allowed groups would let nobody in, and group entries would map nobody.
  if (!groupsAttributePath && (allowedGroups.length || orgMapping.some((e) => e.group !== '*'))) {
    throw new ConfigError(
      `${allowedGroups.length ? 'ROSTER_OIDC_ALLOWED_GROUPS' : 'ROSTER_OIDC_ORG_MAPPING'} names groups, but ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH (where the groups are in the claims, e.g. "groups") is not set`,
    );
  }
  return {
    issuer,
    clientId,
    clientSecret,
    name: (raw('oidcName') ?? '').trim() || 'OAuth',
    scopes,
    allowSignUp: parseBool('ROSTER_OIDC_ALLOW_SIGN_UP', raw('oidcAllowSignUp')!),
    allowedDomains,
    allowedGroups,
    autoLogin: parseBool('ROSTER_OIDC_AUTO_LOGIN', raw('oidcAutoLogin')!),
    roleAttributePath: checkExpression('ROSTER_OIDC_ROLE_ATTRIBUTE_PATH', (raw('oidcRoleAttributePath') ?? '').trim()),
    roleAttributeStrict: parseBool('ROSTER_OIDC_ROLE_ATTRIBUTE_STRICT', raw('oidcRoleAttributeStrict')!),
    allowAssignGrafanaAdmin: parseBool('ROSTER_OIDC_ALLOW_ASSIGN_GRAFANA_ADMIN', raw('oidcAllowAssignGrafanaAdmin')!),
    groupsAttributePath,
    orgMapping,
    redirectUri: `${publicUrl}/login/generic_oauth`,
  };
}
