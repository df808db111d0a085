// Table types. Booleans are stored as 0/1 integers and times as ISO-8601 UTC text on both
// databases, so one code path reads and writes them identically.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Flag = 0 | 1;

export interface OrgTable {
  id: Generated<number>;
  public_id: string;
  uuid: string;
  name: Generated<string>;
  slug: string;
  address1: Generated<string>;
  address2: Generated<string>;
  city: Generated<string>;
  zip_code: Generated<string>;
  state: Generated<string>;
  country: Generated<string>;
  /** Grafana org preferences, JSON. */
  preferences: Generated<string>;
  /** Face settings (OnCall, PostHog, Roster), JSON; see domain/org-settings.ts. */
  settings: Generated<string>;
  /** 1 when settings has enforce2fa true: the orgs enforcing two-factor are found by index, not by reading every document. */
  enforce_2fa: Generated<Flag>;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: Generated<number>;
  uid: string;
  public_id: string;
  uuid: string;
  login: string;
  email: Generated<string>;
  name: Generated<string>;
  password_hash: string | null;
  is_admin: Generated<Flag>;
  is_disabled: Generated<Flag>;
  /** The user's current (active) org, 0 when none. */
  org_id: Generated<number>;
  theme: Generated<string>;
  timezone: string | null;
  phone_number: string | null;
  phone_verified: Generated<Flag>;
  phone_private: Generated<Flag>;
  preferences: Generated<string>;
  created_at: string;
  updated_at: string;
  last_seen_at: string;
  /** 1 when the address was set by an admin or confirmed through a mailed link. */
  email_verified: Generated<Flag>;
  /** Grafana's helpFlags1: a bitmask of the help hints the user dismissed. */
  help_flags1: Generated<number>;
}

export interface SlackIdentityTable {
  id: Generated<number>;
  user_id: number;
  slack_user_id: string;
  slack_team_id: string;
}

export interface OrgMemberTable {
  org_id: Generated<number>;
  user_id: number;
  role: string;
  is_owner: Generated<Flag>;
  uuid: string;
  created_at: string;
  updated_at: string;
}

export interface TeamTable {
  id: Generated<number>;
  uid: string;
  public_id: string;
  org_id: Generated<number>;
  name: Generated<string>;
  email: Generated<string>;
  preferences: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface TeamMemberTable {
  team_id: number;
  user_id: number;
  /** Grafana's team permission: 0 member, 4 admin. */
  permission: Generated<number>;
  created_at: string;
  /** 1: added by team sync (an external group of the team), which removes it when the group is lost. */
  synced: Generated<Flag>;
}

export interface UserIdentityTable {
  id: Generated<number>;
  user_id: number;
  issuer: string;
  subject: string;
  created_at: string;
  last_login_at: string;
}

export interface SsoLoginTable {
  state_hash: string;
  created_at: string;
  expires_at: string;
}

export interface TeamGroupTable {
  id: Generated<number>;
  org_id: number;
  team_id: number;
  group_id: string;
  created_at: string;
}

export interface ServiceAccountTable {
  id: Generated<number>;
  uid: string;
  org_id: Generated<number>;
  name: Generated<string>;
  login: string;
  role: string;
  is_disabled: Generated<Flag>;
  created_at: string;
  updated_at: string;
}

export interface TokenTable {
  id: Generated<number>;
  /** 'sa' (Grafana service-account token) or 'pak' (PostHog personal API key). */
  kind: string;
  /** Keyed hash of the secret; the secret itself is never stored. */
  hash: string;
  org_id: number | null;
  service_account_id: number | null;
  user_id: number | null;
  name: Generated<string>;
  /** Shown in lists instead of the secret, e.g. "phx_...abcd". */
  mask: string;
  /** JSON array, personal API keys only. */
  scopes: string | null;
  /** JSON array of org uuids, personal API keys only. */
  scoped_orgs: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  last_rolled_at: string | null;
  revoked_at: string | null;
}

export interface SessionTable {
  id: Generated<number>;
  hash: string;
  user_id: number;
  created_at: string;
  /** The absolute end: created_at plus the maximum lifetime. */
  expires_at: string;
  seen_at: string | null;
  rotated_at: string | null;
  /** The token's hash before its last rotation, honoured for a short grace (domain/sessions.ts). */
  prev_hash: string | null;
  client_ip: string | null;
  user_agent: string | null;
  /** 'password' or 'sso': how the session was signed in (enforce_2fa applies to password sessions). */
  auth_method: Generated<string>;
}

/** A mailed password reset code (domain/password-reset.ts). */
export interface PasswordResetTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  created_at: string;
  expires_at: string;
}

/** A user's TOTP second factor (domain/two-factor.ts). */
export interface UserTotpTable {
  user_id: number;
  /** Encrypted with the secret box (domain/secret-box.ts). */
  secret_enc: string;
  created_at: string;
  /** Null while enrolment waits for the first code. */
  confirmed_at: string | null;
  /** The time step of the last accepted code: no code is accepted twice. */
  last_step: number | null;
}

export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: string;
  /** 'user', 'service-account', 'personal-key' or 'system' (CLI, bootstrap). */
  actor_kind: string;
  actor_user_id: number | null;
  actor_service_account_id: number | null;
  actor_token_id: number | null;
  actor_login: string;
  /** 'grafana', 'oncall', 'posthog', 'roster', 'cli', 'console', 'system'. */
  face: string;
  request_id: string | null;
  action: string;
  object_type: string;
  object_id: string;
  org_id: number | null;
  /** JSON snapshots; never secrets. */
  before: string | null;
  after: string | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  /** Lower-cased login or email as typed. */
  login: string;
  ip: string;
  created_at: string;
}

/** An invitation to join an org with a role (PostHog's organization invite). */
export interface InviteTable {
  id: string;
  org_id: number;
  /** Lower-cased domain part. */
  email: string;
  first_name: Generated<string>;
  role: string;
  is_owner: Generated<Flag>;
  message: string | null;
  /** JSON array of {id, level}. */
  private_project_access: Generated<string>;
  created_by: number | null;
  emailing_attempt_made: Generated<Flag>;
  created_at: string;
  updated_at: string;
  expires_at: string;
  /** Keyed hash of the invite's secret code; null for invites made before codes existed (never accepted). */
  code_hash: string | null;
  /** 'pending', 'revoked' or 'completed'; only pending invites are listed or accepted (expiry is expires_at). */
  status: Generated<InviteStatus>;
}

export type InviteStatus = 'pending' | 'revoked' | 'completed';

/** Mail to send, written in the transaction of the change that causes it (mail/outbox.ts). */
export interface MailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  /** Emptied once sent or given up. */
  body: string;
  created_at: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  claim_token: string | null;
  sent_at: string | null;
  failed_at: string | null;
  last_error: string | null;
}

/** The change-event outbox (store/events.ts): `seq`, in commit order, is the feed's cursor. */
export interface EventTable {
  id: Generated<number>;
  /** Null until the event is numbered (PostgreSQL: by the sequencer, after its commit). */
  seq: number | null;
  at: string;
  type: string;
  org_id: number | null;
  /** The event as delivered, JSON; never secrets. */
  data: string;
}

/** Named outbox positions: 'fanout' (webhooks read through) and 'pruned' (retention deleted through). */
export interface EventCursorTable {
  name: string;
  position: number;
}

export interface WebhookTable {
  id: Generated<number>;
  org_id: number;
  url: string;
  /** JSON array; empty: every type. */
  event_types: string;
  /** Sealed whsec_... signing secret (domain/secret-box.ts). */
  secret: string;
  enabled: Generated<number>;
  from_event_id: number;
  failing_since: string | null;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  webhook_id: number;
  event_id: number;
  event_type: string;
  payload: string;
  created_at: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  claim_token: string | null;
  delivered_at: string | null;
  last_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
}

/** A self-service email change waiting for its mailed link (domain/email-verification.ts). */
export interface EmailVerificationTable {
  id: Generated<number>;
  user_id: number;
  email: string;
  update_login: Generated<Flag>;
  code_hash: string;
  created_at: string;
  expires_at: string;
}

/** An org-level integration (e.g. a Vercel installation); created by Roster's native API. */
export interface IntegrationTable {
  id: string;
  org_id: number;
  kind: string;
  /** The external system's id for this installation. */
  integration_id: string | null;
  /** JSON shown to clients. */
  config: Generated<string>;
  /** JSON never returned by any API. */
  sensitive_config: Generated<string>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** A server admin's quota for one org (migration 0015); `quota_limit` -1 is unlimited. */
export interface OrgQuotaTable {
  org_id: number;
  target: string;
  quota_limit: number;
  updated_at: string;
}

/** A server admin's quota for one user (migration 0015). */
export interface UserQuotaTable {
  user_id: number;
  target: string;
  quota_limit: number;
  updated_at: string;
}

/** A custom or managed role (migrations/0016): a named set of permissions; org_id null is global. */
export interface RoleTable {
  id: Generated<number>;
  uid: string;
  org_id: number | null;
  name: string;
  display_name: Generated<string>;
  description: Generated<string>;
  group_name: Generated<string>;
  hidden: Generated<Flag>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface RolePermissionTable {
  role_id: number;
  action: string;
  scope: string;
}

export interface UserRoleTable {
  org_id: number;
  user_id: number;
  role_id: number;
  created_at: string;
}

export interface TeamRoleTable {
  team_id: number;
  role_id: number;
  created_at: string;
}

/** A role held by everyone with a basic role of an org ('Viewer', 'Editor', 'Admin', 'None', 'Grafana Admin'). */
export interface BuiltinRoleTable {
  org_id: number;
  builtin_role: string;
  role_id: number;
  created_at: string;
}

/** A custom role held by a service account, in the account's org (migrations/0019). */
export interface ServiceAccountRoleTable {
  service_account_id: number;
  role_id: number;
  created_at: string;
}

/** SCIM bearer tokens, each bound to one org (migrations/0017). */
export interface ScimTokenTable {
  id: Generated<number>;
  org_id: number;
  /** Keyed hash of the secret; the secret itself is never stored. */
  hash: string;
  name: string;
  /** Shown in lists instead of the secret. */
  mask: string;
  created_by: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A user provisioned into an org through SCIM, with the identity provider's externalId. */
export interface ScimUserTable {
  org_id: number;
  user_id: number;
  external_id: string | null;
  created_at: string;
}

/** The identity provider's externalId of a team provisioned as a SCIM group. */
export interface ScimGroupTable {
  team_id: number;
  org_id: number;
  external_id: string | null;
}

/** One row per user and distinct trigram of its lower-cased login, email or name (migration 0022). */
export interface UserTrigramTable {
  gram: string;
  login: string;
  id: number;
}

export interface Database {
  login_attempts: LoginAttemptTable;
  audit_events: AuditEventTable;
  orgs: OrgTable;
  users: UserTable;
  user_trigrams: UserTrigramTable;
  slack_identities: SlackIdentityTable;
  org_members: OrgMemberTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  service_accounts: ServiceAccountTable;
  tokens: TokenTable;
  sessions: SessionTable;
  meta: MetaTable;
  invites: InviteTable;
  integrations: IntegrationTable;
  mail_outbox: MailOutboxTable;
  email_verifications: EmailVerificationTable;
  user_identities: UserIdentityTable;
  sso_logins: SsoLoginTable;
  team_groups: TeamGroupTable;
  password_resets: PasswordResetTable;
  user_totp: UserTotpTable;
  recovery_codes: RecoveryCodeTable;
  org_quotas: OrgQuotaTable;
  user_quotas: UserQuotaTable;
  roles: RoleTable;
  role_permissions: RolePermissionTable;
  user_roles: UserRoleTable;
  team_roles: TeamRoleTable;
  builtin_roles: BuiltinRoleTable;
  service_account_roles: ServiceAccountRoleTable;
  scim_tokens: ScimTokenTable;
  scim_users: ScimUserTable;
  scim_groups: ScimGroupTable;
  events: EventTable;
  event_cursors: EventCursorTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
}

export type OrgRow = Selectable<OrgTable>;
export type RoleRow = Selectable<RoleTable>;
export type NewOrgRow = Insertable<OrgTable>;
export type OrgUpdate = Updateable<OrgTable>;
export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type MemberRow = Selectable<OrgMemberTable>;
export type TeamRow = Selectable<TeamTable>;
export type ServiceAccountRow = Selectable<ServiceAccountTable>;
export type TokenRow = Selectable<TokenTable>;
export type InviteRow = Selectable<InviteTable>;
export type IntegrationRow = Selectable<IntegrationTable>;
export type SessionRow = Selectable<SessionTable>;
