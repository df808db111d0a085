// Default quota limits, as Grafana's [quota] section names them (org_user, org_api_key, user_org,
// global_user, global_org; service accounts and teams per org are Roster's own). -1 is unlimited,
// the default for all, so a server that sets none behaves as Grafana with its quotas off; the
// quota routes still answer (as Grafana's with `[quota] enabled = true`).
import { ConfigError } from './config-parse.ts';

export const QUOTA_SETTINGS = {
  quotaOrgUser: { env: 'ROSTER_QUOTA_ORG_USER', flag: 'quota-org-user', default: '-1' },
  quotaOrgApiKey: { env: 'ROSTER_QUOTA_ORG_API_KEY', flag: 'quota-org-api-key', default: '-1' },
  quotaOrgServiceAccount: { env: 'ROSTER_QUOTA_ORG_SERVICE_ACCOUNT', flag: 'quota-org-service-account', default: '-1' },
  quotaOrgTeam: { env: 'ROSTER_QUOTA_ORG_TEAM', flag: 'quota-org-team', default: '-1' },
  quotaUserOrg: { env: 'ROSTER_QUOTA_USER_ORG', flag: 'quota-user-org', default: '-1' },
  quotaGlobalUser: { env: 'ROSTER_QUOTA_GLOBAL_USER', flag: 'quota-global-user', default: '-1' },
  quotaGlobalOrg: { env: 'ROSTER_QUOTA_GLOBAL_ORG', flag: 'quota-global-org', default: '-1' },
} as const;

type QuotaSettingName = keyof typeof QUOTA_SETTINGS;

/** The default limit of each quota target (domain/quotas.ts). */
export interface QuotaDefaults {
  /** Members per org (org_user). */
  orgUser: number;
  /** Service-account tokens per org (org_api_key). */
  orgApiKey: number;
  orgServiceAccount: number;
  orgTeam: number;
  /** Orgs a user may belong to when creating one (user_org). */
  userOrg: number;
  /** Users on the server (global_user). */
  globalUser: number;
  /** Orgs on the server (global_org). */
  globalOrg: number;
}

function limit(name: QuotaSettingName, value: string): number {
  const n = Number(value.trim());
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < -1) throw new ConfigError(`${QUOTA_SETTINGS[name].env} must be a whole number, -1 for unlimited, got "${value}"`);
  return n;
}

export function quotaSettings(raw: (name: QuotaSettingName) => string): QuotaDefaults {
  return {
    orgUser: limit('quotaOrgUser', raw('quotaOrgUser')),
    orgApiKey: limit('quotaOrgApiKey', raw('quotaOrgApiKey')),
    orgServiceAccount: limit('quotaOrgServiceAccount', raw('quotaOrgServiceAccount')),
    orgTeam: limit('quotaOrgTeam', raw('quotaOrgTeam')),
    userOrg: limit('quotaUserOrg', raw('quotaUserOrg')),
    globalUser: limit('quotaGlobalUser', raw('quotaGlobalUser')),
    globalOrg: limit('quotaGlobalOrg', raw('quotaGlobalOrg')),
  };
}
