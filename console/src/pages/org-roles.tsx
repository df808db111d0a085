// An org's custom roles (docs/access-control.md): create one from Grafana actions and scopes,
// delete it, and see, give or take away a member's roles. The org's admins manage them; the
// server refuses a role granting more than the admin holds.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { OrgAccess } from '../session.tsx';
import type { OrgUser, Paged } from '../types.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { Empty, ErrorNote } from '../ui/bits.tsx';
import { FormOutcome, SubmitButton } from '../ui/form-bits.tsx';
import { ListView } from '../ui/list.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';

interface RoleDto {
  uid: string;
  name: string;
  displayName: string;
  description: string;
  global: boolean;
  permissions?: { action: string; scope: string }[];
}

export function RolesTab({ orgId, access }: { orgId: number; access: OrgAccess }) {
  const [deleting, setDeleting] = useState<RoleDto | null>(null);
  // The list leaves permissions out (as Grafana's does): each role is read for them.
  const roles = useAsync(async () => {
    if (!access.manageOrg) return undefined;
    const list = await api<RoleDto[]>('/api/access-control/roles?includeHidden=true', { orgId });
    return Promise.all(list.map((r) => api<RoleDto>(`/api/access-control/roles/${encodeURIComponent(r.uid)}`, { orgId })));
  }, [orgId, access.manageOrg]);

  if (!access.manageOrg) return <Empty>Only the organization's admins manage its roles. Your role here is {access.role ?? 'none'}.</Empty>;
  return (
    <>
      <h2>Roles</h2>
      <p class="muted hint">A role adds permissions to the basic role of whoever holds it: a member, a team's members, or everyone with a basic role.</p>
      <CreateRole orgId={orgId} onCreated={roles.reload} />
      <ListView
        error={roles.error}
        loading={roles.loading}
        onRetry={roles.reload}
        items={roles.data}
        empty="No custom roles yet."
        row={(r) => (
          <article key={r.uid} data-role={r.name} aria-labelledby={`role-${r.uid}`}>
            <header class="title-row">
              <h3 id={`role-${r.uid}`}>{r.displayName || r.name}</h3>
              <div class="title-actions">
                {r.global && <span class="badge">global</span>}
                <code class="muted">{r.uid}</code>
                {!r.global && (
                  <button type="button" class="danger outline small" aria-label={`Delete role ${r.name}`} onClick={() => setDeleting(r)}>
                    Delete
                  </button>
                )}
              </div>
            </header>
            <ul aria-label={`Permissions of ${r.name}`}>
              {(r.permissions ?? []).map((g) => (
                <li>
                  <code>{g.action}</code> {g.scope && <span class="muted">on {g.scope}</span>}
                </li>
              ))}
            </ul>
          </article>
        )}
      />
      {roles.data && <MemberRoles orgId={orgId} roles={roles.data} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete role ${deleting.name}?`}
          confirmLabel="Delete role"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api(`/api/access-control/roles/${encodeURIComponent(deleting.uid)}`, { method: 'DELETE', orgId });
            roles.reload();
          }}
        >
          <p>Everyone holding it loses its permissions at once.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** "action scope" per line; a missing scope is the whole org. */
function parsePermissions(text: string) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [action, scope = ''] = line.split(/\s+/);
      return { action, scope };
    });
}

function CreateRole({ orgId, onCreated }: { orgId: number; onCreated(): void }) {
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState('');
  const [done, setDone] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    const ok = await action.run(() => api('/api/access-control/roles', { method: 'POST', orgId, body: { name: name.trim(), permissions: parsePermissions(permissions) } }));
    if (ok) {
      setDone(`Role ${name.trim()} created`);
      setName('');
      setPermissions('');
      onCreated();
    }
  };
  return (
    <form onSubmit={submit} aria-label="Create a role">
      <input name="roleName" aria-label="Role name" placeholder="Role name, e.g. custom:team-readers" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <textarea
        name="rolePermissions"
        aria-label="Permissions, one per line: action and scope"
        placeholder={'teams:read teams:*\nserviceaccounts:write serviceaccounts:id:7'}
        value={permissions}
        onInput={(e) => setPermissions((e.target as HTMLTextAreaElement).value)}
      />
      <SubmitButton busy={action.busy}>Create role</SubmitButton>
      <FormOutcome error={action.error} done={done} />
    </form>
  );
}

/** One member's roles: pick a member, then give or take away roles. */
function MemberRoles({ orgId, roles }: { orgId: number; roles: RoleDto[] }) {
  const [userId, setUserId] = useState<number | null>(null);
  const [adding, setAdding] = useState('');
  const action = useAction();
  const members = useAsync(() => api<Paged & { orgUsers: OrgUser[] }>(`/api/orgs/${orgId}/users/search?perpage=1000`), [orgId]);
  const held = useAsync(async () => (userId === null ? undefined : api<RoleDto[]>(`/api/access-control/users/${userId}/roles`, { orgId })), [orgId, userId]);
  const change = async (method: 'POST' | 'DELETE', uid: string) => {
    const path = method === 'POST' ? `/api/access-control/users/${userId}/roles` : `/api/access-control/users/${userId}/roles/${encodeURIComponent(uid)}`;
    if (await action.run(() => api(path, { method, orgId, body: method === 'POST' ? { roleUid: uid } : undefined }))) held.reload();
  };
  return (
    <section aria-label="A member's roles">
      <h2>A member's roles</h2>
      <ErrorNote error={members.error} />
      <select aria-label="Member whose roles to show" value={userId ?? ''} onChange={(e) => setUserId(Number((e.target as HTMLSelectElement).value) || null)}>
        <option value="">Choose a member…</option>
        {members.data?.orgUsers.map((m) => (
          <option value={m.userId}>
            {m.login} ({m.role})
          </option>
        ))}
      </select>
      {userId !== null && (
        <>
          <ListView
            error={held.error}
            loading={held.loading}
            items={held.data}
            empty="No custom roles: only the basic role."
            row={(r) => (
              <p key={r.uid} data-held-role={r.name}>
                {r.displayName || r.name}{' '}
                <button type="button" class="secondary outline small" aria-label={`Take ${r.name} away`} onClick={() => change('DELETE', r.uid)}>
                  Take away
                </button>
              </p>
            )}
          />
          <fieldset role="group">
            <select aria-label="Role to give" value={adding} onChange={(e) => setAdding((e.target as HTMLSelectElement).value)}>
              <option value="">Choose a role…</option>
              {roles.map((r) => (
                <option value={r.uid}>{r.displayName || r.name}</option>
              ))}
            </select>
            <button type="button" disabled={!adding || action.busy} onClick={() => change('POST', adding)}>
              Give role
            </button>
          </fieldset>
          <FormOutcome error={action.error} done="" />
        </>
      )}
    </section>
  );
}
