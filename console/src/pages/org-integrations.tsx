// An org's integrations: listed and disconnected through the PostHog face (members read, admins
// disconnect), recorded through Roster's native POST /api/roster/v1/orgs/:id/integrations.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { posthogOrg } from '../posthog-org.ts';
import type { OrgAccess } from '../session.tsx';
import type { OrgListItem } from '../types.ts';
import type { PhIntegration, PhPage } from '../types-more.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { ErrorNote, Pager, when } from '../ui/bits.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';
import { ACTIONS, ListView } from '../ui/list.tsx';
import { NotMember } from './org-teams.tsx';
import { CreatePanel } from '../ui/form-bits.tsx';

const PER_PAGE = 20;

export function IntegrationsTab({ org, access }: { org: OrgListItem; access: OrgAccess }) {
  const [page, setPage] = useState(1);
  const [removing, setRemoving] = useState<PhIntegration | null>(null);
  const admin = access.role === 'Admin';
  const list = useAsync(async () => {
    if (!access.role) return undefined;
    const { id: uuid } = await posthogOrg(org);
    const q = new URLSearchParams({ limit: String(PER_PAGE), offset: String((page - 1) * PER_PAGE) });
    return { uuid, ...(await api<PhPage<PhIntegration>>(`/api/organizations/${uuid}/integrations?${q}`)) };
  }, [org.id, org.name, access.role, page]);

  if (!access.role) return <NotMember what="Integrations" />;
  return (
    <>
      <h2>Integrations</h2>
      {admin ? <NewIntegration orgId={org.id} onCreated={list.reload} /> : <p class="muted">Read-only: only the organization’s admins add or disconnect integrations.</p>}
      <ListView
        error={list.error}
        loading={list.loading}
        onRetry={list.reload}
        items={list.data?.results}
        empty={admin ? 'No integrations yet. Use “New integration” to record one (e.g. a Slack workspace).' : 'No integrations yet.'}
        columns={[{ label: 'Kind' }, { label: 'External id' }, { label: 'Settings', class: 'hide-sm' }, { label: 'Added', class: 'hide-sm' }, admin && ACTIONS]}
        row={(i) => (
          <tr key={i.id} data-integration={i.kind}>
            <td>{i.kind}</td>
            <td>{i.integration_id ?? <span class="muted">none</span>}</td>
            <td class="hide-sm">
              <ConfigList config={i.config} />
            </td>
            <td class="hide-sm">
              {when(i.created_at)}
              {i.created_by && <small class="muted"> by {i.created_by.email}</small>}
            </td>
            {admin && (
              <td class="actions">
                <button type="button" class="danger outline small" aria-label={`Disconnect ${i.kind} ${i.integration_id ?? ''}`.trim()} onClick={() => setRemoving(i)}>
                  Disconnect
                </button>
              </td>
            )}
          </tr>
        )}
      />
      {list.data && <Pager label="Integrations" page={page} total={list.data.count} perPage={PER_PAGE} hasNext={list.data.next !== null} onPage={setPage} />}
      {removing && list.data && (
        <ConfirmDialog
          title={`Disconnect ${removing.kind}?`}
          confirmLabel="Disconnect"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await api(`/api/organizations/${list.data!.uuid}/integrations/${removing.id}`, { method: 'DELETE' });
            list.reload();
          }}
        >
          <p>The integration record and its stored secrets are deleted.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Settings as "key: value" lines; nested values stay JSON. */
function ConfigList({ config }: { config: unknown }) {
  if (!config || typeof config !== 'object' || Object.keys(config).length === 0) return <span class="muted">none</span>;
  return (
    <dl class="config">
      {Object.entries(config as Record<string, unknown>).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function NewIntegration({ orgId, onCreated }: { orgId: number; onCreated(): void }) {
  const [kind, setKind] = useState('');
  const [externalId, setExternalId] = useState('');
  const [config, setConfig] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await action.run(async () => {
      let parsed: unknown = undefined;
      if (config.trim()) {
        try {
          parsed = JSON.parse(config);
        } catch {
          throw new Error('Settings must be a JSON object, e.g. {"channel": "#alerts"}');
        }
      }
      const body = { kind: kind.trim(), ...(externalId.trim() ? { integrationId: externalId.trim() } : {}), ...(parsed === undefined ? {} : { config: parsed }) };
      await api(`/api/roster/v1/orgs/${orgId}/integrations`, { method: 'POST', body });
    });
    if (ok) {
      setKind('');
      setExternalId('');
      setConfig('');
      onCreated();
    }
  };
  return (
    <CreatePanel label="New integration">
      <form onSubmit={submit} aria-label="Add an integration">
        <div class="grid">
          <label>
            Kind
            <input name="kind" required placeholder="e.g. slack" value={kind} onInput={(e) => setKind((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            External id (optional)
            <input name="integrationId" value={externalId} onInput={(e) => setExternalId((e.target as HTMLInputElement).value)} />
          </label>
        </div>
        <label>
          Settings (optional JSON object)
          <textarea name="config" rows={2} placeholder='{"channel": "#alerts"}' value={config} onInput={(e) => setConfig((e.target as HTMLTextAreaElement).value)} />
        </label>
        <ErrorNote error={action.error} />
        <button type="submit" aria-busy={action.busy} disabled={action.busy}>
          Add integration
        </button>
      </form>
    </CreatePanel>
  );
}
