// Renaming and deleting an org, shared by the orgs list and an org's page.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';
import { useAction } from '../ui/async.ts';
import { ErrorNote } from '../ui/bits.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';

export function RenameOrgForm(props: { org: { id: number; name: string }; onDone(renamed: boolean): void }) {
  const [name, setName] = useState(props.org.name);
  const action = useAction();
  const session = useSession();
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await action.run(() => api(`/api/orgs/${props.org.id}`, { method: 'PUT', body: { name: name.trim() } }));
    if (ok) {
      await session.refresh();
      props.onDone(true);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && props.onDone(false)}>
      <fieldset role="group">
        <input name="name" aria-label="New name" required autofocus value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <button type="submit" aria-busy={action.busy} disabled={action.busy}>
          Save
        </button>
        <button type="button" class="secondary" onClick={() => props.onDone(false)}>
          Cancel
        </button>
      </fieldset>
      <ErrorNote error={action.error} />
    </form>
  );
}

/**
 * The server refuses to delete the caller's current org, so the console first switches the
 * user to another of their orgs, and says so in the dialog.
 */
export function DeleteOrgDialog(props: { org: { id: number; name: string }; onDeleted(): void; onClose(): void }) {
  const session = useSession();
  const isCurrent = session.me.orgId === props.org.id;
  const other = session.orgs.find((o) => o.orgId !== props.org.id);
  const remove = async () => {
    if (isCurrent && other) await api(`/api/user/using/${other.orgId}`, { method: 'POST' });
    await api(`/api/orgs/${props.org.id}`, { method: 'DELETE' });
    await session.refresh();
    props.onDeleted();
  };
  return (
    <ConfirmDialog title={`Delete ${props.org.name}?`} confirmLabel="Delete organization" onConfirm={remove} onClose={props.onClose}>
      <p>
        This deletes the organization <strong>{props.org.name}</strong> with its memberships, teams, service accounts and tokens. Users stay. This cannot be undone.
      </p>
      {isCurrent && other && (
        <p>
          It is your current organization: you will be switched to <strong>{other.name}</strong> first.
        </p>
      )}
    </ConfirmDialog>
  );
}
