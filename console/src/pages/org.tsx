// One organization: its name (rename, delete) and tabs for members, teams, service accounts,
// roles, integrations, settings, SCIM tokens and the audit trail.
// Each tab acts in this org through X-Grafana-Org-Id, whatever the user's current org is.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { navigate } from '../router.ts';
import { orgAccess, useSession, type OrgAccess } from '../session.tsx';
import type { OrgListItem } from '../types.ts';
import { useAsync } from '../ui/async.ts';
import { ErrorNote, Loading } from '../ui/bits.tsx';
import { DeleteOrgDialog, RenameOrgForm } from './org-actions.tsx';
import { MembersTab } from './org-members.tsx';
import { TeamsTab } from './org-teams.tsx';
import { ServiceAccountsTab } from './org-service-accounts.tsx';
import { IntegrationsTab } from './org-integrations.tsx';
import { SettingsTab } from './org-settings.tsx';
import { AuditTab } from './org-audit.tsx';
import { RolesTab } from './org-roles.tsx';
import { ScimTab } from './org-scim.tsx';
import { WebhooksTab } from './org-webhooks.tsx';

// Tabs a role can never use are not offered (their address still explains why, if typed in).
const TABS: { id: string; label: string; shown(a: OrgAccess): boolean }[] = [
  { id: 'members', label: 'Members', shown: (a) => a.manageOrg },
  { id: 'teams', label: 'Teams', shown: () => true },
  { id: 'service-accounts', label: 'Service accounts', shown: (a) => a.manageOrg },
  { id: 'roles', label: 'Roles', shown: (a) => a.manageOrg },
  { id: 'integrations', label: 'Integrations', shown: () => true },
  { id: 'settings', label: 'Settings', shown: () => true },
  { id: 'scim', label: 'SCIM', shown: (a) => a.manageOrg },
  { id: 'audit', label: 'Audit trail', shown: (a) => a.manageOrg },
  { id: 'webhooks', label: 'Webhooks', shown: (a) => a.manageOrg },
];

export function OrgPage({ id, tab }: { id: number; tab: string }) {
  const session = useSession();
  const access = orgAccess(session, id);
  const org = useAsync(() => api<OrgListItem>(`/api/orgs/${id}`), [id]);
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);

  if (!Number.isSafeInteger(id) || id <= 0) return <ErrorNote error={new Error('No such organization')} />;
  if (org.error && !org.data) {
    return (
      <>
        <p class="crumbs">
          <a href="/orgs">← Organizations</a>
        </p>
        <h1>Organization</h1>
        <ErrorNote error={org.error} />
      </>
    );
  }
  if (!org.data) return <Loading />;
  const tabs = TABS.filter((t) => t.shown(access));
  // The org's address alone opens the first tab this user can use (a Viewer's is Teams).
  const current = TABS.some((t) => t.id === tab) ? tab : tabs[0].id;

  return (
    <>
      <p class="crumbs">
        <a href="/orgs">← Organizations</a>
      </p>
      <div class="title-row">
        {renaming ? (
          <RenameOrgForm
            org={org.data}
            onDone={(renamed) => {
              setRenaming(false);
              if (renamed) org.reload();
            }}
          />
        ) : (
          <h1>{org.data.name}</h1>
        )}
        <div class="title-actions">
          {access.role && <span class="badge">Your role: {access.role}</span>}
          {access.manageOrg && !renaming && (
            <>
              <button type="button" class="secondary outline small" onClick={() => setRenaming(true)}>
                Rename
              </button>
              <button type="button" class="danger outline small" onClick={() => setDeleting(true)}>
                Delete
              </button>
            </>
          )}
        </div>
      </div>
      {/* Links, not ARIA tabs: each tab has its own address, so reload and back work. */}
      <nav class="tabs" aria-label="Organization sections">
        <ul>
          {tabs.map((t) => (
            <li>
              <a href={`/orgs/${id}/${t.id}`} aria-current={current === t.id ? 'page' : undefined}>
                {t.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-label={TABS.find((t) => t.id === current)!.label}>
        {current === 'members' && <MembersTab orgId={id} access={access} />}
        {current === 'teams' && <TeamsTab orgId={id} access={access} />}
        {current === 'service-accounts' && <ServiceAccountsTab orgId={id} access={access} />}
        {current === 'roles' && <RolesTab orgId={id} access={access} />}
        {current === 'integrations' && <IntegrationsTab org={org.data} access={access} />}
        {current === 'settings' && <SettingsTab org={org.data} access={access} />}
        {current === 'scim' && <ScimTab orgId={id} access={access} />}
        {current === 'audit' && <AuditTab orgId={id} access={access} />}
        {current === 'webhooks' && <WebhooksTab org={org.data} access={access} />}
      </section>
      {deleting && <DeleteOrgDialog org={org.data} onClose={() => setDeleting(false)} onDeleted={() => navigate('/orgs')} />}
    </>
  );
}
