// An org's webhooks (docs/events.md), for its Admins: register an endpoint (its signing secret is
// shown once, here), enable or disable it, read its delivery log and send a delivery again.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { OrgAccess } from '../session.tsx';
import type { OrgListItem } from '../types.ts';
import type { Webhook, WebhookDelivery } from '../types-more.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { CopyButton, ErrorNote, when } from '../ui/bits.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';
import { CreatePanel } from '../ui/form-bits.tsx';
import { ACTIONS, ListView } from '../ui/list.tsx';

const base = (orgId: number) => `/api/roster/v1/orgs/${orgId}/webhooks`;

export function WebhooksTab({ org, access }: { org: OrgListItem; access: OrgAccess }) {
  const list = useAsync(() => (access.manageOrg ? api<Webhook[]>(base(org.id)) : Promise.resolve(undefined)), [org.id, access.manageOrg]);
  const [open, setOpen] = useState<Webhook | null>(null);
  const [removing, setRemoving] = useState<Webhook | null>(null);
  const toggle = useAction();
  if (!access.manageOrg) return <p class="muted">Only the organization’s admins manage webhooks.</p>;
  return (
    <>
      <h2>Webhooks</h2>
      <p class="muted">Roster posts this organization’s changes to these addresses, signed per Standard Webhooks.</p>
      <NewWebhook orgId={org.id} onCreated={list.reload} />
      <ErrorNote error={toggle.error} />
      <ListView
        error={list.error}
        loading={list.loading}
        onRetry={list.reload}
        items={list.data}
        empty="No webhooks yet. Use “New webhook” to add an endpoint."
        columns={[{ label: 'URL' }, { label: 'Events', class: 'hide-sm' }, { label: 'State' }, ACTIONS]}
        row={(w) => (
          <tr key={w.id} data-webhook={w.url}>
            <td>{w.url}</td>
            <td class="hide-sm">{w.eventTypes.length ? w.eventTypes.join(', ') : <span class="muted">all</span>}</td>
            <td>
              {w.enabled ? 'Enabled' : 'Disabled'}
              {w.disabledReason && <small class="muted"> ({w.disabledReason})</small>}
            </td>
            <td class="actions">
              <button type="button" class="secondary outline small" onClick={() => setOpen(open?.id === w.id ? null : w)}>
                Deliveries
              </button>
              <button
                type="button"
                class="secondary outline small"
                aria-label={`${w.enabled ? 'Disable' : 'Enable'} ${w.url}`}
                onClick={async () => (await toggle.run(() => api(`${base(org.id)}/${w.id}`, { method: 'PATCH', body: { enabled: !w.enabled } }))) && list.reload()}
              >
                {w.enabled ? 'Disable' : 'Enable'}
              </button>
              <button type="button" class="danger outline small" aria-label={`Delete ${w.url}`} onClick={() => setRemoving(w)}>
                Delete
              </button>
            </td>
          </tr>
        )}
      />
      {open && <Deliveries orgId={org.id} webhook={open} />}
      {removing && (
        <ConfirmDialog
          title="Delete this webhook?"
          confirmLabel="Delete"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await api(`${base(org.id)}/${removing.id}`, { method: 'DELETE' });
            if (open?.id === removing.id) setOpen(null);
            list.reload();
          }}
        >
          <p>{removing.url} receives nothing more, and its delivery log is deleted.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function NewWebhook({ orgId, onCreated }: { orgId: number; onCreated(): void }) {
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    setSecret(null);
    const eventTypes = types
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    let made: (Webhook & { secret: string }) | undefined;
    const ok = await action.run(async () => {
      made = await api<Webhook & { secret: string }>(base(orgId), { method: 'POST', body: { url: url.trim(), eventTypes } });
    });
    if (ok && made) {
      setSecret(made.secret);
      setUrl('');
      setTypes('');
      onCreated();
    }
  };
  return (
    <CreatePanel label="New webhook">
      <form onSubmit={submit} aria-label="Add a webhook">
        <label>
          URL
          <input name="url" type="url" required placeholder="https://example.com/roster-events" value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Event types (optional, comma-separated; empty: all)
          <input name="eventTypes" placeholder="member.add, member.role.update, member.remove" value={types} onInput={(e) => setTypes((e.target as HTMLInputElement).value)} />
        </label>
        <ErrorNote error={action.error} />
        <button type="submit" aria-busy={action.busy} disabled={action.busy}>
          Add webhook
        </button>
      </form>
      {secret && (
        <div class="one-time" role="status">
          <p>Signing secret, shown only now: verify each delivery’s webhook-signature with it.</p>
          <div class="button-row">
            <input id="webhook-secret" name="secret" readOnly value={secret} aria-label="Signing secret" />
            <CopyButton text={secret} fieldId="webhook-secret" />
          </div>
        </div>
      )}
    </CreatePanel>
  );
}

function Deliveries({ orgId, webhook }: { orgId: number; webhook: Webhook }) {
  const log = useAsync(() => api<{ deliveries: WebhookDelivery[] }>(`${base(orgId)}/${webhook.id}/deliveries?limit=50`), [orgId, webhook.id]);
  const resend = useAction();
  return (
    <section aria-label={`Deliveries to ${webhook.url}`}>
      <h3>Deliveries to {webhook.url}</h3>
      <ErrorNote error={resend.error} />
      <ListView
        error={log.error}
        loading={log.loading}
        onRetry={log.reload}
        items={log.data?.deliveries}
        empty="Nothing delivered yet."
        columns={[{ label: 'Event' }, { label: 'Status' }, { label: 'Attempts', class: 'hide-sm' }, { label: 'When', class: 'hide-sm' }, ACTIONS]}
        row={(d) => (
          <tr key={d.id} data-delivery={d.id}>
            <td>
              {d.eventType} <small class="muted">#{d.eventId}</small>
            </td>
            <td>
              {d.deliveredAt ? 'Delivered' : 'Pending'}
              {d.lastStatus !== null && <small class="muted"> HTTP {d.lastStatus}</small>}
              {d.lastError && !d.deliveredAt && <small class="muted"> {d.lastError}</small>}
            </td>
            <td class="hide-sm">{d.attempts}</td>
            <td class="hide-sm">{when(d.deliveredAt ?? d.lastAttemptAt ?? d.createdAt)}</td>
            <td class="actions">
              <button
                type="button"
                class="secondary outline small"
                aria-label={`Resend event ${d.eventId}`}
                onClick={async () => (await resend.run(() => api(`/api/roster/v1/orgs/${orgId}/webhook-deliveries/${d.id}/resend`, { method: 'POST' }))) && log.reload()}
              >
                Resend
              </button>
            </td>
          </tr>
        )}
      />
    </section>
  );
}
