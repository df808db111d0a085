// One user (server admins): enable/disable, server admin, password, contact data, sessions, their orgs and teams.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';
import type { Team, UserOrg, UserProfile } from '../types.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { Empty, ErrorNote, Loading, when } from '../ui/bits.tsx';
import { FormOutcome, SubmitButton } from '../ui/form-bits.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';
import { ContactSection } from './user-contact.tsx';
import { SessionsSection } from './sessions.tsx';

type Pending = { title: string; label: string; text: string; run(): Promise<unknown> };

export function UserPage({ id }: { id: number }) {
  const session = useSession();
  const user = useAsync(() => api<UserProfile>(`/api/users/${id}`), [id]);
  const orgs = useAsync(() => api<UserOrg[]>(`/api/users/${id}/orgs`), [id]);
  const teams = useAsync(() => api<(Team & { orgId: number })[]>(`/api/users/${id}/teams`), [id]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState('');

  if (user.error && !user.data) {
    return (
      <>
        <p class="crumbs">
          <a href="/users">← Users</a>
        </p>
        <h1>User</h1>
        <ErrorNote error={user.error} />
      </>
    );
  }
  if (!user.data) return <Loading />;
  const u = user.data;
  const self = u.id === session.me.id;
  const act = (p: Pending) => setPending(p);
  const done = (text: string) => () => {
    setNotice(text);
    user.reload();
    if (self) void session.refresh();
  };
  const orgName = (orgId: number) => orgs.data?.find((o) => o.orgId === orgId)?.name ?? `org ${orgId}`;

  return (
    <>
      <p class="crumbs">
        <a href="/users">← Users</a>
      </p>
      <div class="title-row">
        <h1>{u.login}</h1>
        <div class="title-actions">
          {u.isGrafanaAdmin && <span class="badge">server admin</span>}
          {u.isDisabled && <span class="badge muted">disabled</span>}
        </div>
      </div>
      <dl class="facts">
        <dt>Email</dt>
        <dd>{u.email}</dd>
        <dt>Name</dt>
        <dd>{u.name || '—'}</dd>
        <dt>Created</dt>
        <dd>{when(u.createdAt)}</dd>
      </dl>
      <p class="row-status" role="status">
        {notice}
      </p>
      <div class="button-row">
        {u.isDisabled ? (
          <button
            type="button"
            class="secondary"
            onClick={() =>
              act({
                title: `Enable ${u.login}?`,
                label: 'Enable',
                text: 'The user can sign in again.',
                run: () => api(`/api/admin/users/${u.id}/enable`, { method: 'POST' }).then(done('User enabled')),
              })
            }
          >
            Enable
          </button>
        ) : (
          <button
            type="button"
            class="secondary"
            onClick={() =>
              act({
                title: `Disable ${u.login}?`,
                label: 'Disable',
                text: 'The user can no longer sign in or use the API; memberships stay.',
                run: () => api(`/api/admin/users/${u.id}/disable`, { method: 'POST' }).then(done('User disabled')),
              })
            }
          >
            Disable
          </button>
        )}
        {u.isGrafanaAdmin ? (
          <button
            type="button"
            class="secondary"
            onClick={() =>
              act({
                title: `Revoke server admin from ${u.login}?`,
                label: 'Revoke server admin',
                text: 'The user keeps their org roles.',
                run: () => api(`/api/admin/users/${u.id}/permissions`, { method: 'PUT', body: { isGrafanaAdmin: false } }).then(done('Server admin revoked')),
              })
            }
          >
            Revoke server admin
          </button>
        ) : (
          <button
            type="button"
            class="secondary"
            onClick={() =>
              act({
                title: `Make ${u.login} a server admin?`,
                label: 'Grant server admin',
                text: 'Server admins manage every organization and user.',
                run: () => api(`/api/admin/users/${u.id}/permissions`, { method: 'PUT', body: { isGrafanaAdmin: true } }).then(done('Server admin granted')),
              })
            }
          >
            Grant server admin
          </button>
        )}
        <button
          type="button"
          class="secondary"
          onClick={() =>
            act({
              title: `Reset two-factor authentication of ${u.login}?`,
              label: 'Reset two-factor',
              text: 'For a lost phone: the user signs in with their password alone until they set two-factor up again. Recorded in the audit trail.',
              run: () => api(`/api/roster/v1/users/${u.id}/two-factor`, { method: 'DELETE' }).then(done('Two-factor authentication reset')),
            })
          }
        >
          Reset two-factor
        </button>
      </div>
      <ResetPassword userId={u.id} />
      <ContactSection userId={u.id} canVerify />
      {!self && <SessionsSection userId={u.id} />}

      <h2>Organizations</h2>
      <ErrorNote error={orgs.error} />
      {!orgs.data ? (
        orgs.loading && <Loading />
      ) : orgs.data.length === 0 ? (
        <Empty>In no organization.</Empty>
      ) : (
        <ul class="user-orgs">
          {orgs.data.map((o) => (
            <li>
              <a href={`/orgs/${o.orgId}`}>{o.name}</a> <span class="badge">{o.role}</span>
            </li>
          ))}
        </ul>
      )}

      <h2>Teams</h2>
      <ErrorNote error={teams.error} />
      {!teams.data ? (
        teams.loading && <Loading />
      ) : teams.data.length === 0 ? (
        <Empty>In no team.</Empty>
      ) : (
        <ul>
          {teams.data.map((t) => (
            <li>
              {t.name} <span class="muted">in {orgName(t.orgId)}</span>
            </li>
          ))}
        </ul>
      )}

      {pending && (
        <ConfirmDialog title={pending.title} confirmLabel={pending.label} onClose={() => setPending(null)} onConfirm={pending.run}>
          <p>{pending.text}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function ResetPassword({ userId }: { userId: number }) {
  const [password, setPassword] = useState('');
  const [done, setDone] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    if (await action.run(() => api(`/api/admin/users/${userId}/password`, { method: 'PUT', body: { password } }))) {
      setPassword('');
      setDone('Password updated');
    }
  };
  return (
    <form onSubmit={submit} aria-label="Reset password">
      <label for="new-password">New password</label>
      <fieldset role="group">
        <input id="new-password" name="newPassword" type="password" autocomplete="new-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        <SubmitButton busy={action.busy}>Set password</SubmitButton>
      </fieldset>
      <FormOutcome error={action.error} done={done} />
    </form>
  );
}
