// An org's teams: search and, for its admins, create and delete.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { OrgAccess } from '../session.tsx';
import type { Paged, Team } from '../types.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { Empty, Pager, SearchInput } from '../ui/bits.tsx';
import { FormOutcome, SubmitButton } from '../ui/form-bits.tsx';
import { ACTIONS, ListView, useSearchPages } from '../ui/list.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';

const PER_PAGE = 50;

export function NotMember({ what }: { what: string }) {
  return <Empty>{what} are visible to the organization's members. You are not a member; add yourself on the Members tab to see them.</Empty>;
}

export function TeamsTab({ orgId, access }: { orgId: number; access: OrgAccess }) {
  const { query, search, page, setPage, onSearch } = useSearchPages();
  const [deleting, setDeleting] = useState<Team | null>(null);
  const list = useAsync(async () => {
    if (!access.readTeams) return undefined;
    const q = new URLSearchParams({ query: search, perpage: String(PER_PAGE), page: String(page) });
    return api<Paged & { teams: Team[] }>(`/api/teams/search?${q}`, { orgId });
  }, [orgId, search, page, access.readTeams]);

  if (!access.readTeams) return <NotMember what="Teams" />;
  return (
    <>
      <h2>Teams</h2>
      {access.writeTeams && <CreateTeam orgId={orgId} onCreated={list.reload} />}
      <SearchInput label="Search teams" value={query} onSearch={onSearch} />
      <ListView
        error={list.error}
        loading={list.loading}
        onRetry={list.reload}
        items={list.data?.teams}
        empty={query ? 'No team matches.' : access.writeTeams ? 'No teams yet. Create the first one above: teams group members for OnCall escalations and Grafana permissions.' : 'No teams yet.'}
        columns={[{ label: 'Name' }, { label: 'Email' }, { label: 'Members' }, access.writeTeams && ACTIONS]}
        row={(t) => (
          <tr key={t.id} data-team={t.name}>
            {/* Org admins open a team to manage its members. */}
            <td>{access.writeTeams ? <a href={`/orgs/${orgId}/teams/${t.id}`}>{t.name}</a> : t.name}</td>
            <td>{t.email}</td>
            <td>{t.memberCount}</td>
            {access.writeTeams && (
              <td class="actions">
                <button type="button" class="danger outline small" aria-label={`Delete team ${t.name}`} onClick={() => setDeleting(t)}>
                  Delete
                </button>
              </td>
            )}
          </tr>
        )}
      />
      {list.data && <Pager label="Teams" page={page} total={list.data.totalCount} perPage={PER_PAGE} hasNext={page * PER_PAGE < list.data.totalCount} onPage={setPage} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete team ${deleting.name}?`}
          confirmLabel="Delete team"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api(`/api/teams/${deleting.id}`, { method: 'DELETE', orgId });
            list.reload();
          }}
        >
          <p>The team and its memberships are deleted; its members stay in the organization.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function CreateTeam({ orgId, onCreated }: { orgId: number; onCreated(): void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [done, setDone] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    const ok = await action.run(() => api('/api/teams', { method: 'POST', orgId, body: { name: name.trim(), ...(email.trim() ? { email: email.trim() } : {}) } }));
    if (ok) {
      setDone(`Team ${name.trim()} created`);
      setName('');
      setEmail('');
      onCreated();
    }
  };
  return (
    <form onSubmit={submit} aria-label="Create a team">
      <fieldset role="group">
        <input name="teamName" aria-label="Team name" placeholder="Team name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <input name="teamEmail" type="email" aria-label="Team email (optional)" placeholder="Email (optional)" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        <SubmitButton busy={action.busy}>Create team</SubmitButton>
      </fieldset>
      <FormOutcome error={action.error} done={done} />
    </form>
  );
}
