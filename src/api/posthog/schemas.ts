// PostHog's JSON shapes, field order as PostHog serializes them (docs/compat/posthog.md#object-shapes). They document
// the routes, serialize responses and validate requests (drf-validator.ts): a request body's
// properties are in the serializer's order, which decides the field an error names.
import { Type, type TSchema } from '@sinclair/typebox';
import { LIMITS } from '../../domain/limits.ts';
import { DRF_MESSAGES } from './drf-validator.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const AnyObject = Type.Object({}, { additionalProperties: true });

/** PostHog's DELETEs answer 204 with no body (void: the handler sends nothing). */
export const NoContent = Type.Unsafe<void>({ type: 'null', description: 'No content' });

export const Level = Type.Union([Type.Literal(1), Type.Literal(8), Type.Literal(15)]);

export const UserBasic = Type.Object({
  id: Type.Integer(),
  uuid: Type.String({ format: 'uuid' }),
  distinct_id: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  email: Type.String(),
  is_email_verified: Nullable(Type.Boolean()),
  hedgehog_config: Nullable(AnyObject),
  role_at_organization: Nullable(Type.String()),
});

export const Organization = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  slug: Type.String(),
  logo_media_id: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
  membership_level: Nullable(Level),
  plugins_access_level: Type.Integer(),
  teams: Type.Array(AnyObject),
  projects: Type.Array(AnyObject),
  available_product_features: Nullable(Type.Array(AnyObject)),
  is_member_join_email_enabled: Type.Boolean(),
  metadata: Type.Record(Type.String(), Type.String()),
  customer_id: Nullable(Type.String()),
  enforce_2fa: Nullable(Type.Boolean()),
  members_can_invite: Nullable(Type.Boolean()),
  members_can_use_personal_api_keys: Type.Boolean(),
  allow_publicly_shared_resources: Type.Boolean(),
  member_count: Type.Integer(),
  is_ai_data_processing_approved: Nullable(Type.Boolean()),
  default_experiment_stats_method: Nullable(Type.String()),
  default_anonymize_ips: Type.Boolean(),
  default_role_id: Nullable(Type.String()),
  is_active: Nullable(Type.Boolean()),
  is_not_active_reason: Nullable(Type.String()),
  is_pending_deletion: Nullable(Type.Boolean()),
});

export const OrganizationBasic = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  slug: Type.String(),
  logo_media_id: Nullable(Type.String()),
  membership_level: Nullable(Level),
  members_can_use_personal_api_keys: Type.Boolean(),
  is_active: Nullable(Type.Boolean()),
  is_not_active_reason: Nullable(Type.String()),
  is_pending_deletion: Nullable(Type.Boolean()),
});

/** PostHog's Organization.name max_length; the Grafana face's longer bound is domain/limits.ts's org.name. */
export const ORG_NAME_MAX = 64;

/** An IntegerField: any integer a JavaScript number holds exactly. */
const Int = (options: { description?: string } = {}) => Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER, ...options });

const OrgName = Type.String({ minLength: 1, maxLength: ORG_NAME_MAX });
const orgSettingFields = {
  // Roster stores no uploaded media: any value but null names no media (org-fields.ts answers it).
  logo_media_id: Type.Optional(Type.Unknown({ description: 'Uploaded media id; Roster stores no media, so only null is taken' })),
  enforce_2fa: Type.Optional(Nullable(Type.Boolean({ description: 'Stored for PostHog clients; Roster does not enforce it' }))),
  members_can_invite: Type.Optional(Nullable(Type.Boolean())),
  members_can_use_personal_api_keys: Type.Optional(Type.Boolean()),
  allow_publicly_shared_resources: Type.Optional(Type.Boolean({ description: 'Stored for PostHog clients; Roster shares nothing publicly' })),
  is_ai_data_processing_approved: Type.Optional(Nullable(Type.Boolean({ description: 'Stored for PostHog clients' }))),
  default_experiment_stats_method: Type.Optional(Nullable(Type.Union([Type.Literal('bayesian'), Type.Literal('frequentist'), Type.Literal('')], { description: 'Stored for PostHog clients' }))),
  default_anonymize_ips: Type.Optional(Type.Boolean({ description: 'Stored for PostHog clients' })),
  default_role_id: Type.Optional(Nullable(Type.String({ minLength: 1, description: 'Stored for PostHog clients' }))),
};

/** A new organization (docs/compat/posthog.md#organization). */
export const OrganizationCreate = Type.Object({ name: OrgName, ...orgSettingFields });

/** The writable organization fields, every one optional (docs/compat/posthog.md#organization). */
export const OrganizationWrite = Type.Object({ name: Type.Optional(OrgName), ...orgSettingFields });

export const Member = Type.Object({
  id: Type.String({ format: 'uuid' }),
  user: UserBasic,
  level: Level,
  joined_at: Type.String(),
  updated_at: Type.String(),
  is_2fa_enabled: Type.Boolean(),
  has_social_auth: Type.Boolean(),
  last_login: Nullable(Type.String()),
});

export const MemberWrite = Type.Object({ level: Type.Optional(Level) });

export const RoleMembership = Type.Object({
  id: Type.String({ description: "The member's user uuid" }),
  role_id: Type.String(),
  user: UserBasic,
  joined_at: Type.String(),
  updated_at: Type.String(),
});

export const Role = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created_at: Type.String(),
  created_by: Nullable(UserBasic),
  members: Type.Array(RoleMembership),
  is_default: Type.Boolean(),
});

/** PostHog's Role.name is a CharField(max_length=200); Roster's role name bound (190) is stricter. */
export const RoleWrite = Type.Object({ name: Type.String({ minLength: 1, maxLength: LIMITS['role.name'] }) });
export const RolePatch = Type.Partial(RoleWrite);
export const RoleMembershipWrite = Type.Object({ user_uuid: Type.String({ format: 'uuid' }) });

export const Invite = Type.Object({
  id: Type.String({ format: 'uuid' }),
  target_email: Type.String(),
  first_name: Type.String(),
  emailing_attempt_made: Type.Boolean(),
  level: Level,
  is_expired: Type.Boolean(),
  created_by: Nullable(UserBasic),
  created_at: Type.String(),
  updated_at: Type.String(),
  message: Nullable(Type.String()),
  private_project_access: Type.Array(AnyObject),
});

/** A new invite: PostHog's shape, plus its code when it was not mailed (shown once). */
export const CreatedInvite = Type.Composite([
  Invite,
  Type.Object({ invite_code: Type.Optional(Type.String({ description: 'The code to accept the invite with; present only when it was not mailed' })) }),
]);

/** PostHog's EmailField max_length; the store's shorter bound is domain/limits.ts's user.email. */
const EMAIL_MAX = 254;

export const CreatedInvites = Type.Array(CreatedInvite);

export const InviteWrite = Type.Object({
  target_email: Type.String({ format: 'email', minLength: 1, maxLength: EMAIL_MAX }),
  first_name: Type.Optional(Type.String({ maxLength: LIMITS['invite.firstName'] })),
  level: Type.Optional(Level),
  message: Type.Optional(Nullable(Type.String({ maxLength: LIMITS['invite.message'] }))),
  // Roster has no PostHog projects: only an empty list is taken (invites.ts answers the rest).
  private_project_access: Type.Optional(Nullable(Type.Array(Type.Unknown()))),
  send_email: Type.Optional(Type.Boolean()),
  combine_pending_invites: Type.Optional(Type.Boolean()),
});

export const MAX_BULK_INVITES = 20;

/** The bulk invite body, with the words PostHog's view refuses a wrong one in. */
export const BulkInviteWrite = Type.Array(InviteWrite, {
  maxItems: MAX_BULK_INVITES,
  [DRF_MESSAGES]: {
    type: ['invalid_input', 'This endpoint needs an array of data for bulk invite creation.'],
    maxItems: ['max_length', `A maximum of ${MAX_BULK_INVITES} invites can be sent in a single request.`],
  },
});

export const Integration = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.String(),
  integration_id: Nullable(Type.String()),
  config: AnyObject,
  created_at: Type.String(),
  updated_at: Type.String(),
  created_by: Nullable(UserBasic),
});

export const EnvironmentMappingWrite = Type.Object({
  production: Int({ description: 'Project id' }),
  preview: Type.Optional(Int({ description: 'Project id' })),
  development: Type.Optional(Int({ description: 'Project id' })),
});

export const PersonalApiKey = Type.Object({
  id: Type.String(),
  label: Type.String(),
  value: Nullable(Type.String()),
  mask_value: Type.String(),
  created_at: Type.String(),
  last_used_at: Nullable(Type.String()),
  user_id: Type.Integer(),
  scopes: Type.Array(Type.String()),
  scoped_teams: Nullable(Type.Array(Type.Integer())),
  scoped_organizations: Nullable(Type.Array(Type.String())),
  last_rolled_at: Nullable(Type.String()),
});

export const PersonalApiKeyWrite = Type.Object({
  label: Type.String({ minLength: 1, maxLength: LIMITS['key.label'] }),
  scopes: Type.Array(Type.String(), { description: 'e.g. organization:read, or * for every scope' }),
  // PostHog declares these required; clients send []. Roster takes a missing list as [].
  scoped_teams: Type.Optional(Type.Array(Int())),
  // Organization uuids; the domain answers one that is not a uuid in PostHog's words.
  scoped_organizations: Type.Optional(Type.Array(Type.String())),
});

export const MeWrite = Type.Object({
  // An organization uuid; the route answers any other value in PostHog's words.
  set_current_organization: Type.Optional(Nullable(Type.String({ minLength: 1, description: 'uuid of one of your organizations' }))),
});

export const Me = Type.Object({
  date_joined: Type.String(),
  uuid: Type.String({ format: 'uuid' }),
  distinct_id: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  email: Type.String(),
  pending_email: Nullable(Type.String()),
  is_email_verified: Nullable(Type.Boolean()),
  notification_settings: AnyObject,
  anonymize_data: Type.Boolean(),
  toolbar_mode: Nullable(Type.String()),
  has_password: Type.Boolean(),
  id: Type.Integer(),
  is_staff: Type.Boolean(),
  is_impersonated: Type.Boolean(),
  team: Nullable(AnyObject),
  organization: Nullable(Organization),
  organizations: Type.Array(OrganizationBasic),
  is_2fa_enabled: Type.Boolean(),
  has_social_auth: Type.Boolean(),
  has_sso_enforcement: Type.Boolean(),
  theme_mode: Nullable(Type.String()),
  role_at_organization: Nullable(Type.String()),
});

export const paginated = <T extends TSchema>(item: T) =>
  Type.Object({
    count: Type.Integer(),
    next: Nullable(Type.String()),
    previous: Nullable(Type.String()),
    results: Type.Array(item),
  });

export const OrgParam = Type.Object({ id: Type.String({ description: 'Organization uuid or @current' }) });
export const NestedParam = Type.Object({ organization_id: Type.String({ description: 'Organization uuid or @current' }) });
export const NestedIdParam = Type.Object({ organization_id: Type.String(), id: Type.String() });
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ description: 'Number of results per page (default 100)' })),
  offset: Type.Optional(Type.Integer({ description: 'Initial index from which to return the results' })),
});
