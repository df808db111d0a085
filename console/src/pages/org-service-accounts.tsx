// An org's service accounts (org admins only): create, delete, and their tokens.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { OrgAccess } from '../session.tsx';
import type { Paged, Role, ServiceAccount } from '../types.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { Empty, Pager, RoleSelect } from '../ui/bits.tsx';
import { FormOutcome, SubmitButton } from '../ui/form-bits.tsx';
import { ListView } from '../ui/list.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';
import { NotMember } from './org-teams.tsx';
import { TokensPanel } from './sa-tokens.tsx';

const PER_PAGE = 20;

export function ServiceAccountsTab({ orgId, access }: { orgId: number; access: OrgAccess }) {
  const [page, setPage] = useState(1);
  const [deleting, setDeleting] = useState<ServiceAccount | null>(null);
  const list = useAsync(async () => {
    if (!access.serviceAccounts) return undefined;
    const q = new URLSearchParams({ perpage: String(PER_PAGE), page: String(page) });
    return api<Paged & { serviceAccounts: ServiceAccount[] }>(`/api/serviceaccounts/search?${q}`, { orgId });
  }, [orgId, page, access.serviceAccounts]);

  if (!access.role) return <NotMember what="Service accounts" />;
  if (!access.serviceAccounts) return <Empty>Only the organization's admins manage its service accounts. Your role here is {access.role}.</Empty>;
  return (
    <>
      <h2>Service accounts</h2>
      <CreateServiceAccount orgId={orgId} onCreated={list.reload} />
      <ListView
        error={list.error}
        loading={list.loading}
        onRetry={list.reload}
        items={list.data?.serviceAccounts}
        empty="No service accounts yet. A service account is a non-human member for scripts and integrations: create one above, then give it a token."
        row={(sa) => (
          <article class="sa" key={sa.id} data-sa={sa.name} aria-labelledby={`sa-${sa.id}`}>
            <header class="title-row">
              <h3 id={`sa-${sa.id}`}>{sa.name}</h3>
              <div class="title-actions">
                <span class="badge">{sa.role}</span>
                {sa.isDisabled && <span class="badge muted">disabled</span>}
                <code class="muted">{sa.login}</code>
                <button type="button" class="danger outline small" aria-label={`Delete service account ${sa.name}`} onClick={() => setDeleting(sa)}>
                  Delete
                </button>
              </div>
            </header>
            <TokensPanel orgId={orgId} sa={sa} />
          </article>
        )}
      />
      {list.data && <Pager label="Service accounts" page={page} total={list.data.totalCount} perPage={PER_PAGE} hasNext={page * PER_PAGE < list.data.totalCount} onPage={setPage} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete service account ${deleting.name}?`}
          confirmLabel="Delete service account"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api(`/api/serviceaccounts/${deleting.id}`, { method: 'DELETE', orgId });
            list.reload();
          }}
        >
          <p>Its tokens stop working at once.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function CreateServiceAccount({ orgId, onCreated }: { orgId: number; onCreated(): void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('Viewer');
  const [done, setDone] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    const ok = await action.run(() => api('/api/serviceaccounts', { method: 'POST', orgId, body: { name: name.trim(), role } }));
    if (ok) {
      setDone(`Service account ${name.trim()} created: add a token to it below`);
      setName('');
      onCreated();
    }
  };
  return (
    <form onSubmit={submit} aria-label="Create a service account">
      <fieldset role="group">
        <input name="saName" aria-label="Service account name" placeholder="Service account name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <RoleSelect name="saRole" label="Service account role" value={role} onChange={setRole} />
        <SubmitButton busy={action.busy}>Create service account</SubmitButton>
      </fieldset>
      <FormOutcome error={action.error} done={done} />
    </form>
  );
}
