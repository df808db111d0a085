// A service account's tokens: listed with last use and expiry, created with the secret shown
// exactly once (it lives only in this component's state), revoked (deleted) with confirmation.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { NewToken, ServiceAccount, Token } from '../types.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { ErrorNote, when } from '../ui/bits.tsx';
import { ACTIONS, ListView } from '../ui/list.tsx';
import { OneTimeSecret } from '../ui/one-time-secret.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';

const EXPIRY = [
  { label: 'No expiry', seconds: 0 },
  { label: '1 day', seconds: 86400 },
  { label: '30 days', seconds: 30 * 86400 },
  { label: '90 days', seconds: 90 * 86400 },
  { label: '1 year', seconds: 365 * 86400 },
];

export function TokensPanel({ orgId, sa }: { orgId: number; sa: ServiceAccount }) {
  const [fresh, setFresh] = useState<NewToken | null>(null);
  const [deleting, setDeleting] = useState<Token | null>(null);
  const tokens = useAsync(() => api<Token[]>(`/api/serviceaccounts/${sa.id}/tokens`, { orgId }), [orgId, sa.id]);

  return (
    <div class="tokens">
      {fresh && <OneTimeSecret name={`Token ${fresh.name}`} label={`Value of token ${fresh.name}`} value={fresh.key} onDone={() => setFresh(null)} />}
      <ListView
        error={tokens.error}
        loading={tokens.loading}
        onRetry={tokens.reload}
        loadingLabel="Loading tokens…"
        items={tokens.data}
        empty="No tokens yet: add one to call the API as this service account."
        striped={false}
        columns={[{ label: 'Token' }, { label: 'Created', class: 'hide-sm' }, { label: 'Last used' }, { label: 'Expires' }, ACTIONS]}
        row={(t) => (
          <tr key={t.id} data-token={t.name}>
            <td>
              {t.name}
              {t.hasExpired && <span class="badge muted"> expired</span>}
              {t.isRevoked && <span class="badge muted"> revoked</span>}
            </td>
            <td class="hide-sm">{when(t.created)}</td>
            <td>{when(t.lastUsedAt)}</td>
            <td>{t.expiration ? when(t.expiration) : 'never'}</td>
            <td class="actions">
              <button type="button" class="danger outline small" aria-label={`Revoke token ${t.name}`} onClick={() => setDeleting(t)}>
                Revoke
              </button>
            </td>
          </tr>
        )}
      />
      {!fresh && (
        <NewTokenForm
          orgId={orgId}
          sa={sa}
          onCreated={(t) => {
            setFresh(t);
            tokens.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Revoke token ${deleting.name}?`}
          confirmLabel="Revoke token"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api(`/api/serviceaccounts/${sa.id}/tokens/${deleting.id}`, { method: 'DELETE', orgId });
            tokens.reload();
          }}
        >
          <p>Anything using this token loses access at once.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function NewTokenForm(props: { orgId: number; sa: ServiceAccount; onCreated(t: NewToken): void }) {
  const [name, setName] = useState('');
  const [seconds, setSeconds] = useState(0);
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    let created: NewToken | null = null;
    const body = { name: name.trim(), ...(seconds ? { secondsToLive: seconds } : {}) };
    const ok = await action.run(async () => {
      created = await api<NewToken>(`/api/serviceaccounts/${props.sa.id}/tokens`, { method: 'POST', orgId: props.orgId, body });
    });
    if (ok && created) {
      setName('');
      props.onCreated(created);
    }
  };
  return (
    <form onSubmit={submit} aria-label={`Add a token to ${props.sa.name}`}>
      <fieldset role="group">
        <input name="tokenName" aria-label={`New token name for ${props.sa.name}`} placeholder="Token name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <select name="tokenExpiry" aria-label="Token expiry" value={String(seconds)} onChange={(e) => setSeconds(Number((e.target as HTMLSelectElement).value))}>
          {EXPIRY.map((x) => (
            <option value={String(x.seconds)}>{x.label}</option>
          ))}
        </select>
        <button type="submit" aria-busy={action.busy} disabled={action.busy}>
          Add token
        </button>
      </fieldset>
      <ErrorNote error={action.error} />
    </form>
  );
}
