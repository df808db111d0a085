// Domain objects -> Grafana's JSON.
import { hash } from 'node:crypto';
import type { Member } from '../../domain/members.ts';
import { orgAddress, type Org } from '../../domain/orgs.ts';
import type { ListedUser, User } from '../../domain/users.ts';
import type { ServiceAccount } from '../../domain/service-accounts.ts';

export function avatarUrl(email: string): string {
  return '/avatar/' + hash('md5', email.trim().toLowerCase());
}

/** Grafana's GetAgeString: "< 1 minute", "N minutes", "N hours", "N days", "N months", "N years". */
export function ageString(iso: string, nowMs = Date.now()): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '?';
  const minutes = (nowMs - t) / 60000;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes >= 525600) return unit(Math.floor(minutes / 525600), 'year');
  if (minutes >= 43800) return unit(Math.floor(minutes / 43800), 'month');
  if (minutes >= 1440) return unit(Math.floor(minutes / 1440), 'day');
  if (minutes >= 60) return unit(Math.floor(minutes / 60), 'hour');
  if (minutes >= 1) return unit(Math.floor(minutes), 'minute');
  return '< 1 minute';
}

export const orgDetails = (org: Org) => ({ id: org.id, name: org.name, address: orgAddress(org) });

export function orgUser(m: Member) {
  return {
    orgId: m.orgId,
    userId: m.userId,
    uid: m.uid,
    email: m.email,
    name: m.name,
    avatarUrl: avatarUrl(m.email),
    login: m.login,
    role: m.role,
    lastSeenAt: m.lastSeenAt,
    lastSeenAtAge: ageString(m.lastSeenAt),
    authLabels: [],
    isExternallySynced: false,
    isDisabled: m.isDisabled,
    isProvisioned: false,
  };
}

export function userProfile(u: User) {
  return {
    id: u.id,
    uid: u.uid,
    email: u.email,
    name: u.name,
    login: u.login,
    theme: u.theme,
    ...(u.org_id ? { orgId: u.org_id } : {}),
    isGrafanaAdmin: !!u.is_admin,
    isDisabled: !!u.is_disabled,
    isExternal: false,
    isExternallySynced: false,
    isGrafanaAdminExternallySynced: false,
    authLabels: [],
    updatedAt: u.updated_at,
    createdAt: u.created_at,
    avatarUrl: avatarUrl(u.email),
    isProvisioned: false,
  };
}

/** Go's zero time.Time, as Grafana writes the timestamps it leaves unset. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * GET /api/user for a service account's token: Grafana's GetSignedInUser answers for any identity
 * other than a user with what the identity carries (typed uid, org, name, login, email; a service
 * account's email is its login) and zero values for the rest.
 */
export function serviceAccountProfile(sa: ServiceAccount) {
  return {
    id: 0,
    uid: `service-account:${sa.id}`,
    email: sa.login,
    name: sa.name || sa.login,
    login: sa.login,
    theme: '',
    orgId: sa.org_id,
    isGrafanaAdmin: false,
    isDisabled: false,
    isExternal: false,
    isExternallySynced: false,
    isGrafanaAdminExternallySynced: false,
    authLabels: [],
    updatedAt: GO_ZERO_TIME,
    createdAt: GO_ZERO_TIME,
    avatarUrl: '',
    isProvisioned: false,
  };
}

export function userSearchHit(u: ListedUser) {
  return {
    id: u.id,
    uid: u.uid,
    name: u.name,
    login: u.login,
    email: u.email,
    avatarUrl: avatarUrl(u.email),
    isAdmin: !!u.is_admin,
    isDisabled: !!u.is_disabled,
    lastSeenAt: u.last_seen_at,
    lastSeenAtAge: ageString(u.last_seen_at),
    authLabels: [],
    isProvisioned: false,
  };
}
