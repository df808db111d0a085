// The signed-in user's personal API keys (PostHog face /api/personal_api_keys): created with
// scopes and optionally limited to some orgs, the value shown exactly once (on create and on
// roll, kept only in this component's state), listed with last use, revoked with confirmation.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { PersonalKey, PhOrg, PhPage } from '../types-more.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { ErrorNote, when } from '../ui/bits.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';
import { ACTIONS, ListView } from '../ui/list.tsx';
import { OneTimeSecret } from '../ui/one-time-secret.tsx';
import { CreatePanel } from '../ui/form-bits.tsx';

/** The scope objects Roster's PostHog face checks; others can be typed in. */
const SCOPE_OBJECTS = [
  { id: 'organization', label: 'Organizations' },
  { id: 'organization_member', label: 'Organization members' },
  { id: 'organization_integration', label: 'Integrations' },
  { id: 'user', label: 'Your user' },
];

type Pending = { kind: 'roll' | 'revoke'; key: PersonalKey };

export function PersonalKeysSection() {
  const keys = useAsync(() => api<PersonalKey[]>('/api/personal_api_keys'), []);
  // Uuid -> name of the user's orgs, to offer and show a key's organizations.
  const orgs = useAsync(() => api<PhPage<PhOrg>>('/api/organizations?limit=200').then((p) => p.results), []);
  const [fresh, setFresh] = useState<{ id: string; title: string; label: string; value: string } | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const orgName = (uuid: string) => orgs.data?.find((o) => o.id === uuid)?.name ?? uuid;

  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">Personal API keys</h2>
      <p class="muted">Keys for the PostHog API, acting as you. They do not expire: revoke a key you no longer use.</p>
      {fresh && <OneTimeSecret name={fresh.title} label={`Value of key ${fresh.label}`} value={fresh.value} onDone={() => setFresh(null)} />}
      <ListView
        error={keys.error}
        loading={keys.loading}
        onRetry={keys.reload}
        items={keys.data}
        empty="No personal API keys yet. Create one to call the API as yourself from a script."
        columns={[{ label: 'Label' }, { label: 'Scopes' }, { label: 'Organizations', class: 'hide-sm' }, { label: 'Created', class: 'hide-sm' }, { label: 'Last used' }, ACTIONS]}
        row={(k) => (
          <tr key={k.id} data-key={k.label}>
            <td>
              {k.label} <code class="muted">{k.mask_value}</code>
            </td>
            <td>{k.scopes.join(', ')}</td>
            <td class="hide-sm">{k.scoped_organizations?.length ? k.scoped_organizations.map(orgName).join(', ') : 'all yours'}</td>
            <td class="hide-sm">
              {when(k.created_at)}
              {k.last_rolled_at && <small class="muted"> rolled {when(k.last_rolled_at)}</small>}
            </td>
            <td>{when(k.last_used_at)}</td>
            <td class="actions">
              <button type="button" class="secondary outline small" aria-label={`Roll key ${k.label}`} onClick={() => setPending({ kind: 'roll', key: k })}>
                Roll
              </button>
              <button type="button" class="danger outline small" aria-label={`Revoke key ${k.label}`} onClick={() => setPending({ kind: 'revoke', key: k })}>
                Revoke
              </button>
            </td>
          </tr>
        )}
      />
      {!fresh && (
        <NewKeyForm
          orgs={orgs.data ?? []}
          onCreated={(k) => {
            setFresh({ id: k.id, title: `Key ${k.label}`, label: k.label, value: k.value ?? '' });
            keys.reload();
          }}
        />
      )}
      {pending && (
        <ConfirmDialog
          title={pending.kind === 'roll' ? `Roll key ${pending.key.label}?` : `Revoke key ${pending.key.label}?`}
          confirmLabel={pending.kind === 'roll' ? 'Roll key' : 'Revoke key'}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            const { key } = pending;
            if (pending.kind === 'revoke') {
              await api(`/api/personal_api_keys/${key.id}`, { method: 'DELETE' });
              if (fresh?.id === key.id) setFresh(null);
            } else {
              const rolled = await api<PersonalKey>(`/api/personal_api_keys/${key.id}/roll`, { method: 'POST' });
              setFresh({ id: rolled.id, title: `New value of key ${rolled.label}`, label: rolled.label, value: rolled.value ?? '' });
            }
            keys.reload();
          }}
        >
          <p>{pending.kind === 'roll' ? 'The key gets a new value, shown once; the old value stops working at once.' : 'Anything using this key loses access at once.'}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function NewKeyForm({ orgs, onCreated }: { orgs: PhOrg[]; onCreated(k: PersonalKey): void }) {
  const [label, setLabel] = useState('');
  const [full, setFull] = useState(true);
  const [levels, setLevels] = useState<Record<string, '' | 'read' | 'write'>>({});
  const [more, setMore] = useState('');
  const [limitTo, setLimitTo] = useState<string[]>([]);
  const action = useAction();

  const scopes = () => [
    ...Object.entries(levels)
      .filter(([, v]) => v)
      .map(([o, v]) => `${o}:${v}`),
    ...more.split(/[\s,]+/).filter(Boolean),
  ];
  const submit = async (e: Event) => {
    e.preventDefault();
    let created: PersonalKey | undefined;
    const ok = await action.run(async () => {
      const chosen = full ? ['*'] : scopes();
      if (!chosen.length) throw new Error('Choose at least one scope, or give the key full access.');
      created = await api<PersonalKey>('/api/personal_api_keys', { method: 'POST', body: { label: label.trim(), scopes: chosen, scoped_organizations: limitTo } });
    });
    if (ok && created) {
      setLabel('');
      setLimitTo([]);
      onCreated(created);
    }
  };
  return (
    <CreatePanel label="New personal API key">
      <form onSubmit={submit} aria-label="Create a personal API key">
        <label>
          Key label
          <input name="keyLabel" required maxLength={40} value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          <label>
            <input type="radio" name="scopeMode" checked={full} onChange={() => setFull(true)} />
            Full access (all scopes)
          </label>
          <label>
            <input type="radio" name="scopeMode" checked={!full} onChange={() => setFull(false)} />
            Chosen scopes
          </label>
          {!full && (
            <div class="scope-grid">
              {SCOPE_OBJECTS.map((o) => (
                <div>
                  <label for={`scope-${o.id}`}>{o.label}</label>
                  <select id={`scope-${o.id}`} value={levels[o.id] ?? ''} onChange={(e) => setLevels({ ...levels, [o.id]: (e.target as HTMLSelectElement).value as '' | 'read' | 'write' })}>
                    <option value="">No access</option>
                    <option value="read">Read</option>
                    <option value="write">Read and write</option>
                  </select>
                </div>
              ))}
              <label class="wide">
                Other scopes
                <input name="moreScopes" placeholder="e.g. project:read, insight:write" value={more} onInput={(e) => setMore((e.target as HTMLInputElement).value)} />
              </label>
            </div>
          )}
        </fieldset>
        {orgs.length > 0 && (
          <fieldset>
            <legend>Organizations (none checked: all of yours)</legend>
            {orgs.map((o) => (
              <label>
                <input
                  type="checkbox"
                  name="scopedOrg"
                  value={o.id}
                  checked={limitTo.includes(o.id)}
                  onChange={(e) => setLimitTo((e.target as HTMLInputElement).checked ? [...limitTo, o.id] : limitTo.filter((x) => x !== o.id))}
                />
                {o.name}
              </label>
            ))}
          </fieldset>
        )}
        <ErrorNote error={action.error} />
        <button type="submit" aria-busy={action.busy} disabled={action.busy}>
          Create key
        </button>
      </form>
    </CreatePanel>
  );
}
