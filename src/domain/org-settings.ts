// Per-org settings that the faces expose (OnCall, PostHog) or that only Roster's native API sets.
// Stored as one JSON document so a face can add a setting without a schema change.

export interface OrgSettings {
  /** OnCall: manage direct paging integrations by hand. */
  manuallyManageDirectPagingIntegrations: boolean;
  /** OnCall: return private phone numbers through the API anyway. */
  phonePrivacyOverride: boolean;
  /** PostHog organization settings. */
  logoMediaId: string | null;
  enforce2fa: boolean | null;
  membersCanInvite: boolean | null;
  membersCanUsePersonalApiKeys: boolean;
  allowPubliclySharedResources: boolean;
  isAiDataProcessingApproved: boolean | null;
  defaultExperimentStatsMethod: string | null;
  defaultAnonymizeIps: boolean;
  defaultRoleId: string | null;
  isMemberJoinEmailEnabled: boolean;
}

export const DEFAULT_ORG_SETTINGS: OrgSettings = {
  manuallyManageDirectPagingIntegrations: false,
  phonePrivacyOverride: false,
  logoMediaId: null,
  enforce2fa: null,
  membersCanInvite: true,
  membersCanUsePersonalApiKeys: true,
  allowPubliclySharedResources: true,
  isAiDataProcessingApproved: null,
  defaultExperimentStatsMethod: 'bayesian',
  defaultAnonymizeIps: false,
  defaultRoleId: null,
  isMemberJoinEmailEnabled: true,
};

export function parseOrgSettings(json: string): OrgSettings {
  let stored: Partial<OrgSettings> = {};
  try {
    stored = JSON.parse(json);
  } catch {
    // a damaged document falls back to defaults rather than failing every read of the org
  }
  return { ...DEFAULT_ORG_SETTINGS, ...stored };
}
