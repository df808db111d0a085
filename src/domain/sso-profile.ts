// What a single sign-on's claims say about the user, under the provider's settings: who they
// are, their groups, the role the role expression gives them, and whether the allowed domains
// and groups let them in. Grafana's generic OAuth rules; docs/sso.md.
import { search, type JSONValue } from '@jmespath-community/jmespath';
import type { OidcConfig } from '../config-oidc.ts';
import { isRole, type Role } from '../role-names.ts';
import { unauthorized, type DomainError } from './errors.ts';

export type Claims = Record<string, unknown>;

export interface SsoProfile {
  issuer: string;
  subject: string;
  email: string;
  login: string;
  name: string;
  groups: string[];
  /** The role the role expression gave ('' when it gave none, or gave something that is not a role). */
  role: Role | '';
  /** The expression said GrafanaAdmin (acted on only with ROSTER_OIDC_ALLOW_ASSIGN_GRAFANA_ADMIN). */
  grafanaAdmin: boolean;
}

/** A refused single sign-on: its message is what the person signing in is shown. */
export const refused = (code: string, message: string): DomainError => unauthorized(`sso.${code}`, message);

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The first non-empty string a claim holds, ID token first, then the userinfo answer (as Grafana reads them). */
function claim(sources: Claims[], ...names: string[]): string {
  for (const name of names) {
    for (const s of sources) {
      const v = str(s[name]);
      if (v) return v;
    }
  }
  return '';
}

function evaluate(expr: string, data: Claims): JSONValue {
  try {
    return search(data as JSONValue, expr);
  } catch {
    // An expression that fails on these claims (a function given the wrong type) finds nothing.
    return null;
  }
}

/** Groups from the groups expression: the first source where it yields a list of strings. */
function groupsOf(cfg: OidcConfig, sources: Claims[]): string[] {
  if (!cfg.groupsAttributePath) return [];
  for (const s of sources) {
    const v = evaluate(cfg.groupsAttributePath, s);
    if (Array.isArray(v)) return [...new Set(v.filter((g): g is string => typeof g === 'string' && g !== ''))];
    if (typeof v === 'string' && v) return [v];
  }
  return [];
}

/**
 * The role expression over the ID token, then userinfo, then `{"groups": [...]}` (so an
 * expression can test the groups found by the groups expression), as Grafana; the first
 * non-empty string wins. "GrafanaAdmin" is the Admin role plus the server-admin flag.
 */
function roleOf(cfg: OidcConfig, sources: Claims[], groups: string[]): { role: Role | ''; grafanaAdmin: boolean } {
  if (!cfg.roleAttributePath) return { role: '', grafanaAdmin: false };
  for (const s of [...sources, { groups }]) {
    const v = evaluate(cfg.roleAttributePath, s);
    if (typeof v !== 'string' || v === '') continue;
    if (v === 'GrafanaAdmin') return { role: 'Admin', grafanaAdmin: true };
    if (isRole(v)) return { role: v, grafanaAdmin: false };
    if (cfg.roleAttributeStrict) throw refused('invalid-role', `The identity provider gave the role "${v}", which is not Admin, Editor, Viewer, None or GrafanaAdmin`);
    return { role: '', grafanaAdmin: false };
  }
  return { role: '', grafanaAdmin: false };
}

export function ssoProfile(cfg: OidcConfig, issuer: string, idToken: Claims, userInfo: Claims | undefined): SsoProfile {
  const sources = userInfo ? [idToken, userInfo] : [idToken];
  const subject = str(idToken.sub);
  if (!subject) throw refused('no-subject', 'The identity provider sent an ID token without a subject');
  const email = claim(sources, 'email').toLowerCase();
  if (!email || !email.includes('@')) throw refused('no-email', 'The identity provider sent no email address for this user');
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (cfg.allowedDomains.length && !cfg.allowedDomains.includes(domain)) throw refused('domain-not-allowed', `The email domain "${domain}" is not allowed to sign in`);
  const groups = groupsOf(cfg, sources);
  if (cfg.allowedGroups.length && !groups.some((g) => cfg.allowedGroups.includes(g))) throw refused('group-not-allowed', 'User is not a member of one of the groups allowed to sign in');
  const { role, grafanaAdmin } = roleOf(cfg, sources, groups);
  const login = claim(sources, 'preferred_username') || email;
  const given = [claim(sources, 'given_name'), claim(sources, 'family_name')].filter(Boolean).join(' ');
  const name = claim(sources, 'name') || given || login;
  return { issuer, subject, email, login, name, groups, role, grafanaAdmin };
}
