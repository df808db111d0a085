// A validated organization body as the domain takes it (docs/compat/posthog.md#organization).
import type { Static } from '@sinclair/typebox';
import type { OrgSettings } from '../../domain/org-settings.ts';
import { phInvalid } from './errors.ts';
import type { OrganizationWrite } from './schemas.ts';
import { pyStr } from './validation-errors.ts';

export interface OrgWrite {
  name?: string;
  settings: Partial<OrgSettings>;
}

export function readOrgWrite(body: Static<typeof OrganizationWrite>, creating: boolean): OrgWrite {
  if (body.logo_media_id !== undefined && body.logo_media_id !== null) {
    if (creating) throw phInvalid('invalid_input', 'Cannot set logo media when creating an organization.', 'logo_media_id');
    // Roster stores no uploaded media, so no id can name one of this org's.
    throw phInvalid('does_not_exist', `Invalid pk "${pyStr(body.logo_media_id)}" - object does not exist.`, 'logo_media_id');
  }
  const settings: Partial<OrgSettings> = {
    logoMediaId: body.logo_media_id === null ? null : undefined,
    enforce2fa: body.enforce_2fa,
    membersCanInvite: body.members_can_invite,
    membersCanUsePersonalApiKeys: body.members_can_use_personal_api_keys,
    allowPubliclySharedResources: body.allow_publicly_shared_resources,
    isAiDataProcessingApproved: body.is_ai_data_processing_approved,
    defaultExperimentStatsMethod: body.default_experiment_stats_method,
    defaultAnonymizeIps: body.default_anonymize_ips,
    defaultRoleId: body.default_role_id,
  };
  // Only the fields the body sets.
  for (const key of Object.keys(settings) as (keyof OrgSettings)[]) if (settings[key] === undefined) delete settings[key];
  return { name: body.name, settings };
}
