// An org's members: add by login or email, change a role inline, remove (with confirmation).
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useSession, type OrgAccess } from '../session.tsx';
import type { OrgUser, Paged, Role } from '../types.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { Empty, ErrorNote, Pager, RoleSelect, SearchInput } from '../ui/bits.tsx';
import { FormOutcome, SubmitButton } from '../ui/form-bits.tsx';
import { ACTIONS, ListView, useSearchPages } from '../ui/list.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';

const PER_PAGE = 50;

export function MembersTab({ orgId, access }: { orgId: number; access: OrgAccess }) {
  const { query, search, page, setPage, onSearch } = useSearchPages();
  const [removing, setRemoving] = useState<OrgUser | null>(null);
  const session = useSession();
  const list = useAsync(async () => {
    if (!access.manageOrg) return undefined;
    const q = new URLSearchParams({ query: search, perpage: String(PER_PAGE), page: String(page) });
    return api<Paged & { orgUsers: OrgUser[] }>(`/api/orgs/${orgId}/users/search?${q}`);
  }, [orgId, search, page, access.manageOrg]);

  if (!access.manageOrg) {
    return <Empty>Only the organization's admins see its members. Your role here is {access.role ?? 'none'}.</Empty>;
  }
  return (
    <>
      <h2>Members</h2>
      <AddMember orgId={orgId} onAdded={list.reload} />
      {session.me.isGrafanaAdmin && (
        <p class="muted hint">
          Someone without a Roster login yet? Create the user on the <a href="/users">Users</a> page, then add them here.
        </p>
      )}
      <SearchInput label="Search members" value={query} onSearch={onSearch} />
      <ListView
        error={list.error}
        loading={list.loading}
        onRetry={list.reload}
        items={list.data?.orgUsers}
        empty={query ? 'No member matches.' : 'No members.'}
        columns={[{ label: 'Login' }, { label: 'Email', class: 'hide-sm' }, { label: 'Name', class: 'hide-sm' }, { label: 'Role' }, ACTIONS]}
        row={(m) => (
          <MemberRow key={m.userId} orgId={orgId} member={m} linkUser={session.me.isGrafanaAdmin} onRemove={() => setRemoving(m)} onChanged={() => m.userId === session.me.id && session.refresh()} />
        )}
      />
      {list.data && <Pager label="Members" page={page} total={list.data.totalCount} perPage={PER_PAGE} hasNext={page * PER_PAGE < list.data.totalCount} onPage={setPage} />}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.login}?`}
          confirmLabel="Remove member"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await api(`/api/orgs/${orgId}/users/${removing.userId}`, { method: 'DELETE' });
            list.reload();
          }}
        >
          <p>
            <strong>{removing.login}</strong> loses access to this organization. The user account itself stays.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function MemberRow(props: { orgId: number; member: OrgUser; linkUser: boolean; onRemove(): void; onChanged(): void }) {
  const { member } = props;
  const [role, setRole] = useState<Role>(member.role);
  const [saved, setSaved] = useState('');
  const action = useAction();
  const change = async (next: Role) => {
    const before = role;
    setRole(next);
    setSaved('');
    const ok = await action.run(() => api(`/api/orgs/${props.orgId}/users/${member.userId}`, { method: 'PATCH', body: { role: next } }));
    if (ok) {
      setSaved(`Role changed to ${next}`);
      props.onChanged();
    } else setRole(before);
  };
  return (
    <tr data-login={member.login}>
      <td>
        {/* Server admins go on to the user's page (their other orgs, password, contact data). */}
        {props.linkUser ? <a href={`/users/${member.userId}`}>{member.login}</a> : member.login}
        {member.isDisabled && <span class="badge muted"> disabled</span>}
        {/* On a phone the email column is hidden and shown here instead. */}
        <small class="show-sm muted">{member.email}</small>
      </td>
      <td class="hide-sm">{member.email}</td>
      <td class="hide-sm">{member.name}</td>
      <td class="role-cell">
        <RoleSelect label={`Role of ${member.login}`} value={role} disabled={action.busy} onChange={change} />
        <span class="row-status" aria-live="polite" aria-busy={action.busy}>
          {saved}
        </span>
        <ErrorNote error={action.error} />
      </td>
      <td class="actions">
        <button type="button" class="danger outline small" aria-label={`Remove ${member.login}`} onClick={props.onRemove}>
          Remove
        </button>
      </td>
    </tr>
  );
}

function AddMember({ orgId, onAdded }: { orgId: number; onAdded(): void }) {
  const [loginOrEmail, setLogin] = useState('');
  const [role, setRole] = useState<Role>('Viewer');
  const [done, setDone] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    const who = loginOrEmail.trim();
    const ok = await action.run(() => api(`/api/orgs/${orgId}/users`, { method: 'POST', body: { loginOrEmail: who, role } }));
    if (ok) {
      setDone(`Added ${who} as ${role}`);
      setLogin('');
      onAdded();
    }
  };
  return (
    <form class="add-member" onSubmit={submit} aria-label="Add a member">
      <fieldset role="group">
        <input
          name="loginOrEmail"
          aria-label="Login or email of an existing user"
          placeholder="Login or email of an existing user"
          required
          value={loginOrEmail}
          onInput={(e) => setLogin((e.target as HTMLInputElement).value)}
        />
        <RoleSelect name="role" label="Role for the new member" value={role} onChange={setRole} />
        <SubmitButton busy={action.busy}>Add member</SubmitButton>
      </fieldset>
      <FormOutcome error={action.error} done={done} />
    </form>
  );
}
