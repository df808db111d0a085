// The writable organization fields, read in the serializer's order (docs/compat/posthog.md#organization).
import type { OrgSettings } from '../../domain/org-settings.ts';
import { phInvalid } from './errors.ts';
import { boolField, charField, choiceField, pyStr, type Body } from './fields.ts';

export const NAME_MAX = 64;
const STATS_METHODS = ['bayesian', 'frequentist'] as const;

export interface OrgWrite {
  name?: string;
  settings: Partial<OrgSettings>;
}

export function readOrgWrite(body: Body, creating: boolean): OrgWrite {
  const out: OrgWrite = { settings: {} };
  const s = out.settings;
  const name = charField(body, 'name', { required: creating, maxLength: NAME_MAX });
  if (typeof name === 'string') out.name = name;

  if (body.logo_media_id !== undefined && body.logo_media_id !== null) {
    if (creating) throw phInvalid('invalid_input', 'Cannot set logo media when creating an organization.', 'logo_media_id');
    // Roster stores no uploaded media, so no id can name one of this org's.
    throw phInvalid('does_not_exist', `Invalid pk "${pyStr(body.logo_media_id)}" - object does not exist.`, 'logo_media_id');
  }
  if (body.logo_media_id === null) s.logoMediaId = null;

  const enforce2fa = boolField(body, 'enforce_2fa', { allowNull: true });
  if (enforce2fa !== undefined) s.enforce2fa = enforce2fa;
  const membersCanInvite = boolField(body, 'members_can_invite', { allowNull: true });
  if (membersCanInvite !== undefined) s.membersCanInvite = membersCanInvite;
  const pak = boolField(body, 'members_can_use_personal_api_keys');
  if (typeof pak === 'boolean') s.membersCanUsePersonalApiKeys = pak;
  const sharing = boolField(body, 'allow_publicly_shared_resources');
  if (typeof sharing === 'boolean') s.allowPubliclySharedResources = sharing;
  const ai = boolField(body, 'is_ai_data_processing_approved', { allowNull: true });
  if (ai !== undefined) s.isAiDataProcessingApproved = ai;
  const stats = choiceField(body, 'default_experiment_stats_method', STATS_METHODS, { allowNull: true, allowBlank: true });
  if (stats !== undefined) s.defaultExperimentStatsMethod = stats;
  const anonymize = boolField(body, 'default_anonymize_ips');
  if (typeof anonymize === 'boolean') s.defaultAnonymizeIps = anonymize;
  const role = charField(body, 'default_role_id', { allowNull: true });
  if (role !== undefined) s.defaultRoleId = role;
  return out;
}
