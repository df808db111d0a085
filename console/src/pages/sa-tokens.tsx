// A service account's tokens: listed with last use and expiry, created with the secret shown
// exactly once (it lives only in this component's state), deleted with confirmation.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { NewToken, ServiceAccount, Token } from '../types.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { CopyButton, ErrorNote, Loading, when } from '../ui/bits.tsx';
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
      {fresh && <NewTokenBox token={fresh} onDone={() => setFresh(null)} />}
      <ErrorNote error={tokens.error} />
      {tokens.loading && !tokens.data ? (
        <Loading label="Loading tokens…" />
      ) : tokens.data && tokens.data.length > 0 ? (
        <div class="overflow-auto">
          <table>
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col" class="hide-sm">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col" class="actions-col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
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
                    <button type="button" class="danger outline small" aria-label={`Delete token ${t.name}`} onClick={() => setDeleting(t)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="muted">No tokens.</p>
      )}
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
          title={`Delete token ${deleting.name}?`}
          confirmLabel="Delete token"
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

function NewTokenBox({ token, onDone }: { token: NewToken; onDone(): void }) {
  const fieldId = `token-${token.id}`;
  return (
    <div class="new-token" role="status">
      <p>
        <strong>Token {token.name} created.</strong> Copy it now: it is shown only once.
      </p>
      <fieldset role="group">
        <input id={fieldId} class="token-value" readOnly value={token.key} aria-label={`Value of token ${token.name}`} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        <CopyButton text={token.key} fieldId={fieldId} />
      </fieldset>
      <button type="button" class="secondary small" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
