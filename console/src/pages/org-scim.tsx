// The org's SCIM tokens (docs/scim.md): what an identity provider provisions this org with. Listed
// with last use; created with the value shown exactly once; revoked with confirmation.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { OrgAccess } from '../session.tsx';
import { useAction, useAsync } from '../ui/async.ts';
import { ErrorNote, when } from '../ui/bits.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';
import { ACTIONS, ListView } from '../ui/list.tsx';
import { OneTimeSecret } from '../ui/one-time-secret.tsx';

interface ScimToken {
  id: number;
  name: string;
  mask: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function ScimTab({ orgId }: { orgId: number; access: OrgAccess }) {
  const base = `/api/roster/v1/orgs/${orgId}/scim-tokens`;
  const tokens = useAsync(() => api<ScimToken[]>(base, { orgId }), [orgId]);
  const [fresh, setFresh] = useState<{ name: string; value: string } | null>(null);
  const [revoking, setRevoking] = useState<ScimToken | null>(null);

  return (
    <>
      <p>
        Identity providers (Okta, Entra ID, …) provision this organization's users and teams at <code>{`${location.origin}/scim/v2`}</code> with a SCIM token of this organization.
      </p>
      {fresh && <OneTimeSecret name={`SCIM token ${fresh.name}`} label={`Value of SCIM token ${fresh.name}`} value={fresh.value} onDone={() => setFresh(null)} />}
      <ListView
        error={tokens.error}
        loading={tokens.loading}
        onRetry={tokens.reload}
        loadingLabel="Loading SCIM tokens…"
        items={tokens.data}
        empty="No SCIM tokens yet."
        striped={false}
        columns={[{ label: 'SCIM token' }, { label: 'Created', class: 'hide-sm' }, { label: 'Last used' }, ACTIONS]}
        row={(t) => (
          <tr key={t.id} data-scim-token={t.name}>
            <td>
              {t.name} <code>{t.mask}</code>
              {t.revokedAt && <span class="badge muted"> revoked</span>}
            </td>
            <td class="hide-sm">{when(t.createdAt)}</td>
            <td>{when(t.lastUsedAt)}</td>
            <td class="actions">
              {!t.revokedAt && (
                <button type="button" class="danger outline small" aria-label={`Revoke SCIM token ${t.name}`} onClick={() => setRevoking(t)}>
                  Revoke
                </button>
              )}
            </td>
          </tr>
        )}
      />
      {!fresh && (
        <NewScimTokenForm
          orgId={orgId}
          onCreated={(t) => {
            setFresh(t);
            tokens.reload();
          }}
        />
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke SCIM token ${revoking.name}?`}
          confirmLabel="Revoke SCIM token"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await api(`${base}/${revoking.id}`, { method: 'DELETE', orgId });
            tokens.reload();
          }}
        >
          <p>The identity provider using it can no longer provision this organization.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function NewScimTokenForm(props: { orgId: number; onCreated(t: { name: string; value: string }): void }) {
  const [name, setName] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    let created: { token: string; scimToken: ScimToken } | null = null;
    const ok = await action.run(async () => {
      created = await api(`/api/roster/v1/orgs/${props.orgId}/scim-tokens`, { method: 'POST', orgId: props.orgId, body: { name: name.trim() } });
    });
    if (ok && created) {
      const made = created as { token: string; scimToken: ScimToken };
      setName('');
      props.onCreated({ name: made.scimToken.name, value: made.token });
    }
  };
  return (
    <form onSubmit={submit} aria-label="Add a SCIM token">
      <fieldset role="group">
        <input name="scimTokenName" aria-label="New SCIM token name" placeholder="Name (e.g. Okta)" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <button type="submit" aria-busy={action.busy} disabled={action.busy}>
          Add SCIM token
        </button>
      </fieldset>
      <ErrorNote error={action.error} />
    </form>
  );
}
