// An org's settings: OnCall's (Roster's native /api/roster/v1/orgs/:id/settings) and PostHog's
// (PATCH /api/organizations/:uuid/). Admins edit; other members see them read-only. A setting
// Roster only stores for the product's API clients says so (storedFor); one it could not honour
// at all is not offered.
import { api } from '../api.ts';
import { posthogOrg } from '../posthog-org.ts';
import type { OrgAccess } from '../session.tsx';
import type { OrgListItem } from '../types.ts';
import type { NativeOrgSettings, PhOrg } from '../types-more.ts';
import { useAsync } from '../ui/async.ts';
import { Empty, ErrorNote, Loading } from '../ui/bits.tsx';
import { SettingsForm, type SettingField } from '../ui/settings-form.tsx';

const ONCALL_FIELDS: SettingField[] = [
  {
    key: 'manuallyManageDirectPagingIntegrations',
    kind: 'switch',
    label: 'Manage direct paging integrations manually',
    help: "OnCall's manually_manage_direct_paging_integrations; Roster has no paging integrations.",
    storedFor: 'OnCall',
  },
  {
    key: 'phonePrivacyOverride',
    kind: 'switch',
    label: 'Show private phone numbers through the OnCall API',
    help: 'Overrides each user’s phone-number privacy for OnCall API callers of this organization.',
  },
];

const POSTHOG_FIELDS: SettingField[] = [
  {
    key: 'enforce_2fa',
    kind: 'switch',
    label: 'Require two-factor authentication',
    help: 'Members who sign in with a password must set up two-factor authentication before they can work in this organization. Personal API keys, service account tokens and single sign-on are not affected.',
  },
  { key: 'members_can_invite', kind: 'switch', label: 'Members can invite others', help: 'When off, only admins and owners invite.' },
  {
    key: 'members_can_use_personal_api_keys',
    kind: 'switch',
    label: 'Members can use personal API keys',
    help: 'When off, members’ personal API keys cannot reach this organization (admins’ still can).',
  },
  { key: 'allow_publicly_shared_resources', kind: 'switch', label: 'Allow publicly shared resources', storedFor: 'PostHog' },
  { key: 'is_ai_data_processing_approved', kind: 'switch', label: 'AI data processing approved', storedFor: 'PostHog' },
  { key: 'default_anonymize_ips', kind: 'switch', label: 'Anonymize IP addresses in new projects', storedFor: 'PostHog' },
  {
    key: 'default_experiment_stats_method',
    kind: 'choice',
    label: 'Default experiment statistics',
    storedFor: 'PostHog',
    choices: [
      { value: '', label: 'Not set' },
      { value: 'bayesian', label: 'Bayesian' },
      { value: 'frequentist', label: 'Frequentist' },
    ],
  },
  { key: 'default_role_id', kind: 'text', label: 'Default role id of new members', placeholder: 'None', storedFor: 'PostHog' },
];

export function SettingsTab({ org, access }: { org: OrgListItem; access: OrgAccess }) {
  const oncall = useAsync(() => api<NativeOrgSettings>(`/api/roster/v1/orgs/${org.id}/settings`), [org.id]);
  // The PostHog face answers members only.
  const posthog = useAsync(async () => (access.role ? posthogOrg(org) : undefined), [org.id, org.name, access.role]);

  return (
    <>
      <h2>Settings</h2>
      {!access.manageOrg && <p class="muted">Read-only: only the organization’s admins change its settings. Your role here is {access.role}.</p>}
      <h3>OnCall</h3>
      <ErrorNote error={oncall.error} />
      {oncall.data ? (
        <SettingsForm
          title="OnCall settings"
          fields={ONCALL_FIELDS}
          values={oncall.data as unknown as Record<string, unknown>}
          canEdit={access.manageOrg}
          save={(patch) => api(`/api/roster/v1/orgs/${org.id}/settings`, { method: 'PATCH', body: patch })}
        />
      ) : (
        oncall.loading && <Loading />
      )}
      <h3>PostHog</h3>
      {!access.role ? (
        <Empty>PostHog settings are shown to the organization’s members only; add yourself on the Members tab to see them.</Empty>
      ) : (
        <>
          <ErrorNote error={posthog.error} />
          {posthog.data ? (
            <SettingsForm
              title="PostHog settings"
              fields={POSTHOG_FIELDS}
              values={posthog.data as unknown as Record<string, unknown>}
              // PostHog lets org admins (level 8+) change these; a server admin's title does not count there.
              canEdit={access.role === 'Admin'}
              save={(patch) => api<PhOrg>(`/api/organizations/${posthog.data!.id}`, { method: 'PATCH', body: patch }) as unknown as Promise<Record<string, unknown>>}
            />
          ) : (
            posthog.loading && <Loading />
          )}
        </>
      )}
    </>
  );
}
