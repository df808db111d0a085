// Organizations: server admins search all of them (GET /api/orgs); others see their own.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { navigate } from '../router.ts';
import { orgAccess, useSession } from '../session.tsx';
import type { OrgListItem } from '../types.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { ErrorNote, Pager, SearchInput } from '../ui/bits.tsx';
import { ACTIONS, ListView, useSearchPages } from '../ui/list.tsx';
import { DeleteOrgDialog, RenameOrgForm } from './org-actions.tsx';
import { CreatePanel } from '../ui/form-bits.tsx';

const PER_PAGE = 20;

export function OrgsPage() {
  const session = useSession();
  const { me } = session;
  const { query, search, page, setPage, onSearch } = useSearchPages();
  const [renaming, setRenaming] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<OrgListItem | null>(null);

  const list = useAsync<{ orgs: OrgListItem[]; hasNext: boolean }>(async () => {
    if (me.isGrafanaAdmin) {
      const q = new URLSearchParams({ query: search, perpage: String(PER_PAGE), page: String(page - 1) });
      const orgs = await api<OrgListItem[]>(`/api/orgs?${q}`);
      return { orgs, hasNext: orgs.length === PER_PAGE };
    }
    const mine = session.orgs.filter((o) => o.name.toLowerCase().includes(search.trim().toLowerCase()));
    const slice = mine.slice((page - 1) * PER_PAGE, page * PER_PAGE).map((o) => ({ id: o.orgId, name: o.name }));
    return { orgs: slice, hasNext: mine.length > page * PER_PAGE };
  }, [search, page, me.isGrafanaAdmin, session.orgs]);

  return (
    <>
      <h1>Organizations</h1>
      {(me.isGrafanaAdmin || session.allowOrgCreate) && <CreateOrg />}
      <search>
        <form role="search" onSubmit={(e) => e.preventDefault()}>
          <SearchInput label="Search organizations" name="query" value={query} onSearch={onSearch} />
        </form>
      </search>
      <ListView
        error={list.error}
        loading={list.loading}
        onRetry={list.reload}
        items={list.data?.orgs}
        empty={
          query
            ? 'No organization matches.'
            : me.isGrafanaAdmin || session.allowOrgCreate
              ? 'No organizations yet: create the first one with “New organization”.'
              : 'You belong to no organization yet: ask an organization’s admin to add you.'
        }
        columns={[{ label: 'Name' }, { label: 'Your role' }, ACTIONS]}
        row={(org) => {
          const access = orgAccess(session, org.id);
          return (
            <tr key={org.id} data-org={org.name}>
              <td>
                {renaming === org.id ? (
                  <RenameOrgForm
                    org={org}
                    onDone={(renamed) => {
                      setRenaming(null);
                      if (renamed) list.reload();
                    }}
                  />
                ) : (
                  <a href={`/orgs/${org.id}`}>{org.name}</a>
                )}
              </td>
              <td>{access.role ?? <span class="muted">not a member</span>}</td>
              <td class="actions">
                {access.manageOrg && renaming !== org.id && (
                  <>
                    <button type="button" class="secondary outline small" onClick={() => setRenaming(org.id)} aria-label={`Rename ${org.name}`}>
                      Rename
                    </button>
                    <button type="button" class="danger outline small" onClick={() => setDeleting(org)} aria-label={`Delete ${org.name}`}>
                      Delete
                    </button>
                  </>
                )}
              </td>
            </tr>
          );
        }}
      />
      {list.data && <Pager label="Organizations" page={page} hasNext={list.data.hasNext} onPage={setPage} />}
      {deleting && <DeleteOrgDialog org={deleting} onClose={() => setDeleting(null)} onDeleted={() => list.reload()} />}
    </>
  );
}

function CreateOrg() {
  const session = useSession();
  const [name, setName] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    let orgId = 0;
    const ok = await action.run(async () => {
      orgId = (await api<{ orgId: number }>('/api/orgs', { method: 'POST', body: { name: name.trim() } })).orgId;
    });
    if (ok) {
      await session.refresh();
      navigate(`/orgs/${orgId}`);
    }
  };
  return (
    <CreatePanel label="New organization">
      <form onSubmit={submit}>
        <fieldset role="group">
          <input name="orgName" aria-label="Organization name" placeholder="Organization name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          <button type="submit" aria-busy={action.busy} disabled={action.busy}>
            Create
          </button>
        </fieldset>
        <ErrorNote error={action.error} />
      </form>
    </CreatePanel>
  );
}
