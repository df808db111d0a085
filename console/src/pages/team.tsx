// One team (org Admins): its members, their team role (member or team admin), adding a member
// of the org by login or email, removing one (with confirmation).
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';
import type { OrgUser, Paged, Team } from '../types.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { ErrorNote, Loading } from '../ui/bits.tsx';
import { FormOutcome, SubmitButton } from '../ui/form-bits.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';
import { ACTIONS, ListView } from '../ui/list.tsx';
import { TeamGroups } from './team-groups.tsx';

/** Grafana's team permissions: 0 a member, 4 a team admin. */
const TEAM_ADMIN = 4;

interface TeamMember {
  userId: number;
  login: string;
  email: string;
  name: string;
  permission: number;
}

export function TeamPage({ orgId, teamId }: { orgId: number; teamId: number }) {
  const session = useSession();
  const orgName = session.orgs.find((o) => o.orgId === orgId)?.name ?? 'Organization';
  const team = useAsync(() => api<Team>(`/api/teams/${teamId}`, { orgId }), [orgId, teamId]);
  const members = useAsync(() => api<TeamMember[]>(`/api/teams/${teamId}/members`, { orgId }), [orgId, teamId]);
  const [removing, setRemoving] = useState<TeamMember | null>(null);
  const back = (
    <p class="crumbs">
      <a href={`/orgs/${orgId}/teams`}>← {orgName}: teams</a>
    </p>
  );

  if (team.error && !team.data) {
    return (
      <>
        {back}
        <h1>Team</h1>
        <ErrorNote error={team.error} onRetry={team.reload} />
      </>
    );
  }
  if (!team.data) return <Loading />;
  return (
    <>
      {back}
      <div class="title-row">
        <h1>{team.data.name}</h1>
        {team.data.email && <span class="muted">{team.data.email}</span>}
      </div>
      <h2>Members</h2>
      <AddTeamMember orgId={orgId} teamId={teamId} onAdded={members.reload} />
      <ListView
        error={members.error}
        loading={members.loading}
        onRetry={members.reload}
        items={members.data}
        empty="No members yet. Add members of the organization above."
        columns={[{ label: 'Login' }, { label: 'Email', class: 'hide-sm' }, { label: 'Name', class: 'hide-sm' }, { label: 'Team role' }, ACTIONS]}
        row={(m) => <TeamMemberRow key={m.userId} orgId={orgId} teamId={teamId} member={m} onRemove={() => setRemoving(m)} />}
      />
      <TeamGroups orgId={orgId} teamId={teamId} />
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.login} from ${team.data.name}?`}
          confirmLabel="Remove from team"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await api(`/api/teams/${teamId}/members/${removing.userId}`, { method: 'DELETE', orgId });
            members.reload();
          }}
        >
          <p>
            <strong>{removing.login}</strong> leaves the team and stays in the organization.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function TeamMemberRow(props: { orgId: number; teamId: number; member: TeamMember; onRemove(): void }) {
  const { member } = props;
  const [permission, setPermission] = useState(member.permission);
  const [saved, setSaved] = useState('');
  const action = useAction();
  const change = async (next: number) => {
    const before = permission;
    setPermission(next);
    setSaved('');
    const ok = await action.run(() => api(`/api/teams/${props.teamId}/members/${member.userId}`, { method: 'PUT', orgId: props.orgId, body: { permission: next } }));
    if (ok) setSaved(next === TEAM_ADMIN ? 'Now a team admin' : 'Now a member');
    else setPermission(before);
  };
  return (
    <tr data-login={member.login}>
      <td>
        {member.login}
        <small class="show-sm muted">{member.email}</small>
      </td>
      <td class="hide-sm">{member.email}</td>
      <td class="hide-sm">{member.name}</td>
      <td class="role-cell">
        <select aria-label={`Team role of ${member.login}`} value={String(permission)} disabled={action.busy} onChange={(e) => change(Number((e.target as HTMLSelectElement).value))}>
          <option value="0">Member</option>
          <option value={String(TEAM_ADMIN)}>Admin</option>
        </select>
        <span class="row-status" aria-live="polite">
          {saved}
        </span>
        <ErrorNote error={action.error} />
      </td>
      <td class="actions">
        <button type="button" class="danger outline small" aria-label={`Remove ${member.login} from the team`} onClick={props.onRemove}>
          Remove
        </button>
      </td>
    </tr>
  );
}

/** Only the org's members can join its teams: the login or email is looked up among them. */
function AddTeamMember({ orgId, teamId, onAdded }: { orgId: number; teamId: number; onAdded(): void }) {
  const [who, setWho] = useState('');
  const [done, setDone] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    const text = who.trim().toLowerCase();
    let login = '';
    const ok = await action.run(async () => {
      const q = new URLSearchParams({ query: text, perpage: '20', page: '1' });
      const hits = (await api<Paged & { orgUsers: OrgUser[] }>(`/api/orgs/${orgId}/users/search?${q}`)).orgUsers;
      const user = hits.find((u) => u.login.toLowerCase() === text || u.email.toLowerCase() === text);
      if (!user) throw new Error(`No member of this organization has the login or email “${who.trim()}”. Add them on the Members tab first.`);
      login = user.login;
      await api(`/api/teams/${teamId}/members`, { method: 'POST', orgId, body: { userId: user.userId } });
    });
    if (ok) {
      setDone(`Added ${login} to the team`);
      setWho('');
      onAdded();
    }
  };
  return (
    <form onSubmit={submit} aria-label="Add a team member">
      <fieldset role="group">
        <input
          name="teamMember"
          aria-label="Login or email of an organization member"
          placeholder="Login or email of an org member"
          required
          value={who}
          onInput={(e) => setWho((e.target as HTMLInputElement).value)}
        />
        <SubmitButton busy={action.busy}>Add to team</SubmitButton>
      </fieldset>
      <FormOutcome error={action.error} done={done} />
    </form>
  );
}
