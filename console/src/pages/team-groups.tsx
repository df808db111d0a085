// A team's external groups (Grafana's team sync): members of these identity-provider groups join
// the team at each single sign-on, and leave it when they leave the groups.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { FormOutcome, SubmitButton } from '../ui/form-bits.tsx';
import { ACTIONS, ListView } from '../ui/list.tsx';

interface TeamGroup {
  groupId: string;
}

export function TeamGroups({ orgId, teamId }: { orgId: number; teamId: number }) {
  const groups = useAsync(() => api<TeamGroup[]>(`/api/teams/${teamId}/groups`, { orgId }), [orgId, teamId]);
  const [groupId, setGroupId] = useState('');
  const [done, setDone] = useState('');
  const add = useAction();
  const remove = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    const name = groupId.trim();
    if (await add.run(() => api(`/api/teams/${teamId}/groups`, { method: 'POST', orgId, body: { groupId: name } }))) {
      setDone(`Linked ${name}`);
      setGroupId('');
      groups.reload();
    }
  };
  const unlink = async (g: TeamGroup) => {
    setDone('');
    if (await remove.run(() => api(`/api/teams/${teamId}/groups?${new URLSearchParams({ groupId: g.groupId })}`, { method: 'DELETE', orgId }))) {
      setDone(`Unlinked ${g.groupId}`);
      groups.reload();
    }
  };
  return (
    <section aria-label="External groups">
      <h2>External groups</h2>
      <p class="muted">Members of these groups at the identity provider join this team when they sign in with single sign-on, and leave it when they are no longer in any of them.</p>
      <form onSubmit={submit} aria-label="Link an external group">
        <fieldset role="group">
          <input
            name="groupId"
            aria-label="External group"
            placeholder="Group name, as the provider sends it"
            required
            value={groupId}
            onInput={(e) => setGroupId((e.target as HTMLInputElement).value)}
          />
          <SubmitButton busy={add.busy}>Link group</SubmitButton>
        </fieldset>
        <FormOutcome error={add.error ?? remove.error} done={done} />
      </form>
      <ListView
        error={groups.error}
        loading={groups.loading}
        onRetry={groups.reload}
        items={groups.data}
        empty="No external groups: team sync leaves this team alone."
        columns={[{ label: 'Group' }, ACTIONS]}
        row={(g) => (
          <tr key={g.groupId} data-group={g.groupId}>
            <td>{g.groupId}</td>
            <td class="actions">
              <button type="button" class="danger outline small" aria-label={`Unlink ${g.groupId}`} disabled={remove.busy} onClick={() => unlink(g)}>
                Unlink
              </button>
            </td>
          </tr>
        )}
      />
    </section>
  );
}
