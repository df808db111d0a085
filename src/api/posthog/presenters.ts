// Domain objects -> PostHog's JSON (docs/compat/posthog.md#object-shapes).
import type { Member as DomainMember } from '../../domain/members.ts';
import type { Integration } from '../../domain/integrations.ts';
import type { Invite } from '../../domain/invites.ts';
import type { Org } from '../../domain/orgs.ts';
import { orgSettings } from '../../domain/orgs.ts';
import type { PersonalKey } from '../../domain/personal-keys.ts';
import { posthogLevel, type Level } from '../../domain/policy/index.ts';
import type { User } from '../../domain/users.ts';

/** PostHog prints microseconds: "2024-08-24T14:15:22.123000Z". */
export function phTime(iso: string): string;
export function phTime(iso: string | null): string | null;
export function phTime(iso: string | null): string | null {
  if (iso === null) return null;
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z').replace(/:(\d{2})Z$/, ':$1.000000Z');
}

/** A cloud org's plugin access level (CONFIG). */
const PLUGINS_ACCESS_LEVEL = 3;

export function organization(org: Org, level: Level | null, memberCount: number) {
  const s = orgSettings(org);
  return {
    id: org.uuid,
    name: org.name,
    slug: org.slug,
    logo_media_id: s.logoMediaId,
    created_at: phTime(org.created_at),
    updated_at: phTime(org.updated_at),
    membership_level: level,
    plugins_access_level: PLUGINS_ACCESS_LEVEL,
    teams: [],
    projects: [],
    available_product_features: [],
    is_member_join_email_enabled: s.isMemberJoinEmailEnabled,
    metadata: { instance_tag: 'none' },
    customer_id: null,
    enforce_2fa: s.enforce2fa,
    members_can_invite: s.membersCanInvite,
    members_can_use_personal_api_keys: s.membersCanUsePersonalApiKeys,
    allow_publicly_shared_resources: s.allowPubliclySharedResources,
    member_count: memberCount,
    is_ai_data_processing_approved: s.isAiDataProcessingApproved,
    default_experiment_stats_method: s.defaultExperimentStatsMethod,
    default_anonymize_ips: s.defaultAnonymizeIps,
    default_role_id: s.defaultRoleId,
    is_active: true,
    is_not_active_reason: null,
    is_pending_deletion: false,
  };
}

export function organizationBasic(org: Org, level: Level | null) {
  const s = orgSettings(org);
  return {
    id: org.uuid,
    name: org.name,
    slug: org.slug,
    logo_media_id: s.logoMediaId,
    membership_level: level,
    members_can_use_personal_api_keys: s.membersCanUsePersonalApiKeys,
    is_active: true,
    is_not_active_reason: null,
    is_pending_deletion: false,
  };
}

/** Roster keeps one display name; PostHog's first_name carries it whole. */
export function userBasic(u: { id: number; uuid: string; uid: string; name: string; email: string }) {
  return {
    id: u.id,
    uuid: u.uuid,
    distinct_id: u.uid,
    first_name: u.name,
    last_name: '',
    email: u.email,
    is_email_verified: null,
    hedgehog_config: null,
    role_at_organization: null,
  };
}

export const userRowBasic = (u: User) => userBasic(u);

/** Roster starts last-seen far in the past for users who never signed in: that is no login. */
function lastLogin(lastSeenAt: string, joinedAt: string): string | null {
  return lastSeenAt > joinedAt ? phTime(lastSeenAt) : null;
}

export function member(m: DomainMember) {
  return {
    id: m.membershipUuid,
    user: userBasic({ id: m.userId, uuid: m.userUuid, uid: m.uid, name: m.name, email: m.email }),
    level: posthogLevel(m.role, m.isOwner),
    joined_at: phTime(m.joinedAt),
    updated_at: phTime(m.updatedAt),
    is_2fa_enabled: false,
    has_social_auth: false,
    last_login: lastLogin(m.lastSeenAt, m.joinedAt),
  };
}

export function invite(i: Invite, createdBy: User | undefined) {
  return {
    id: i.id,
    target_email: i.email,
    first_name: i.firstName,
    emailing_attempt_made: i.emailingAttemptMade,
    level: posthogLevel(i.role, i.isOwner),
    is_expired: i.isExpired,
    created_by: createdBy ? userRowBasic(createdBy) : null,
    created_at: phTime(i.createdAt),
    updated_at: phTime(i.updatedAt),
    message: i.message,
    private_project_access: i.privateProjectAccess as Record<string, unknown>[],
  };
}

export function integration(i: Integration, createdBy: User | undefined) {
  return {
    id: i.id,
    kind: i.kind,
    integration_id: i.integrationId,
    config: i.config,
    created_at: phTime(i.createdAt),
    updated_at: phTime(i.updatedAt),
    created_by: createdBy ? userRowBasic(createdBy) : null,
  };
}

/** `value` is the secret only right after create or roll. A key stored without scopes shows `[]`:
 * it may do nothing (domain/policy/key-scopes.ts), unlike PostHog's legacy keys. */
export function personalKey(k: PersonalKey, value: string | null = null) {
  return {
    id: String(k.id),
    label: k.label,
    value,
    mask_value: k.mask,
    created_at: phTime(k.createdAt),
    last_used_at: phTime(k.lastUsedAt),
    user_id: k.userId,
    scopes: k.scopes,
    scoped_teams: [],
    scoped_organizations: k.scopedOrgs,
    last_rolled_at: phTime(k.lastRolledAt),
  };
}
