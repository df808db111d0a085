// JSON of the native API (src/api/roster/*.ts) and of the PostHog face (src/api/posthog/schemas.ts)
// that the console reads: org settings, integrations, the audit trail, contact data, personal keys.

/** GET/PATCH /api/roster/v1/orgs/:id/settings */
export interface NativeOrgSettings {
  phonePrivacyOverride: boolean;
  manuallyManageDirectPagingIntegrations: boolean;
}

/** The PostHog face's organization: the settings PATCH /api/organizations/:uuid/ changes. */
export interface PhOrg {
  id: string;
  name: string;
  membership_level: number | null;
  enforce_2fa: boolean | null;
  members_can_invite: boolean | null;
  members_can_use_personal_api_keys: boolean;
  allow_publicly_shared_resources: boolean;
  is_ai_data_processing_approved: boolean | null;
  default_experiment_stats_method: string | null;
  default_anonymize_ips: boolean;
  default_role_id: string | null;
}

export interface PhPage<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface PhIntegration {
  id: string;
  kind: string;
  integration_id: string | null;
  config: Record<string, unknown>;
  created_at: string;
  created_by: { email: string; first_name: string } | null;
}

export interface AuditEvent {
  id: number;
  at: string;
  actor: { kind: string; userId: number | null; serviceAccountId: number | null; tokenId: number | null; login: string };
  face: string;
  action: string;
  objectType: string;
  objectId: string;
  orgId: number | null;
  before: unknown;
  after: unknown;
}

export interface SlackIdentity {
  user_id: string;
  team_id: string;
}

export interface Contact {
  id: number;
  oncall_id: string;
  timezone: string | null;
  phone_number: string | null;
  phone_verified: boolean;
  phone_private: boolean;
  slack: SlackIdentity[];
}

export interface PersonalKey {
  id: string;
  label: string;
  /** The secret: only in the answer to create and roll. */
  value: string | null;
  mask_value: string;
  created_at: string;
  last_used_at: string | null;
  scopes: string[];
  scoped_organizations: string[] | null;
  last_rolled_at: string | null;
}

/** A webhook (native API, /api/roster/v1/orgs/:id/webhooks). */
export interface Webhook {
  id: number;
  orgId: number;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: number;
  eventId: string;
  eventType: string;
  createdAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
}
