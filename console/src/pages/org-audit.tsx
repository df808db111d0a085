// An org's audit trail (GET /api/roster/v1/audit?orgId=): newest first, filtered by action,
// object, face or actor, paged by the server's cursor. Org admins and server admins only.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { OrgAccess } from '../session.tsx';
import type { AuditEvent } from '../types-more.ts';
import { useAsync } from '../ui/async.ts';
import { Empty, when } from '../ui/bits.tsx';
import { ListView } from '../ui/list.tsx';
import { loadOrgNames, objectName } from './audit-names.ts';

const LIMIT = 25;
const FACES = ['grafana', 'oncall', 'posthog', 'roster', 'cli', 'console', 'sso', 'system'];
const ACTIONS = [
  'org.create',
  'org.rename',
  'org.settings.update',
  'org.delete',
  'member.add',
  'member.role.update',
  'member.remove',
  'team.create',
  'team.update',
  'team.delete',
  'team.member.add',
  'team.member.update',
  'team.member.remove',
  'team.group.add',
  'team.group.remove',
  'service-account.create',
  'service-account.update',
  'service-account.delete',
  'token.create',
  'token.roll',
  'token.revoke',
  'integration.create',
  'integration.delete',
  'invite.create',
  'invite.accept',
  'invite.complete',
  'invite.revoke',
  'invite.delete',
  'user.contact.update',
];

interface Filters {
  action: string;
  objectType: string;
  objectId: string;
  face: string;
  actorUserId: string;
}
const NO_FILTERS: Filters = { action: '', objectType: '', objectId: '', face: '', actorUserId: '' };

export function AuditTab({ orgId, access }: { orgId: number; access: OrgAccess }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // Cursors of the pages before this one; the last is this page's (undefined: the newest).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const names = useAsync(async () => (access.manageOrg ? loadOrgNames(orgId) : undefined), [orgId, access.manageOrg]);
  const list = useAsync(async () => {
    if (!access.manageOrg) return undefined;
    const q = new URLSearchParams({ orgId: String(orgId), limit: String(LIMIT) });
    for (const [k, v] of Object.entries(filters)) if (v.trim()) q.set(k, v.trim());
    if (cursor) q.set('before', cursor);
    return api<{ events: AuditEvent[]; next: string | null }>(`/api/roster/v1/audit?${q}`);
  }, [orgId, access.manageOrg, filters, cursor]);

  if (!access.manageOrg) return <Empty>Only the organization's admins see its audit trail. Your role here is {access.role ?? 'none'}.</Empty>;
  const filtered = Object.values(filters).some((v) => v.trim());
  return (
    <>
      <h2>Audit trail</h2>
      <FilterForm
        value={filters}
        people={names.data?.users}
        onApply={(f) => {
          setFilters(f);
          setCursors([undefined]);
        }}
      />
      <ListView
        error={list.error}
        loading={list.loading}
        onRetry={list.reload}
        items={list.data?.events}
        empty={filtered ? 'No event matches these filters.' : 'Nothing has happened here yet.'}
        columns={[{ label: 'When' }, { label: 'Who' }, { label: 'Action' }, { label: 'Object', class: 'hide-sm' }, { label: 'Via', class: 'hide-sm' }, { label: 'Change' }]}
        row={(e) => (
          <tr key={e.id} data-action={e.action}>
            <td>{when(e.at)}</td>
            <td>
              {e.actor.login}
              {e.actor.kind !== 'user' && <small class="muted"> ({e.actor.kind})</small>}
            </td>
            <td>
              <code>{e.action}</code>
              {/* On a phone the object column is hidden and shown here instead. */}
              <small class="show-sm">
                <ObjectCell event={e} name={objectName(e, names.data)} />
              </small>
            </td>
            <td class="hide-sm">
              <ObjectCell event={e} name={objectName(e, names.data)} />
            </td>
            <td class="hide-sm">{e.face}</td>
            <td>
              <Change event={e} />
            </td>
          </tr>
        )}
      />
      {(cursors.length > 1 || list.data?.next) && (
        <nav class="pager" aria-label="Audit trail pages">
          <button type="button" class="secondary outline" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Newer
          </button>
          <button type="button" class="secondary outline" disabled={!list.data?.next} onClick={() => list.data?.next && setCursors([...cursors, list.data.next])}>
            Older
          </button>
        </nav>
      )}
    </>
  );
}

function ObjectCell({ event, name }: { event: AuditEvent; name: string | undefined }) {
  return (
    <>
      {event.objectType} {name ? <strong title={`id ${event.objectId}`}>{name}</strong> : <span class="muted">{event.objectId}</span>}
    </>
  );
}

function Change({ event }: { event: AuditEvent }) {
  if (event.before == null && event.after == null) return <span class="muted">—</span>;
  return (
    <details class="change">
      <summary>Details</summary>
      {event.before != null && (
        <>
          <small>Before</small>
          <pre>{JSON.stringify(event.before, null, 1)}</pre>
        </>
      )}
      {event.after != null && (
        <>
          <small>After</small>
          <pre>{JSON.stringify(event.after, null, 1)}</pre>
        </>
      )}
    </details>
  );
}

function FilterForm({ value, onApply, people }: { value: Filters; onApply(f: Filters): void; people?: Map<number, string> }) {
  const [draft, setDraft] = useState(value);
  const field = (key: keyof Filters) => ({
    name: key,
    value: draft[key],
    onInput: (e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value }),
  });
  const active = Object.values(value).some((v) => v.trim());
  // Open on a laptop; on a phone the five fields would push the events off the first screen.
  const [open] = useState(() => active || !window.matchMedia('(max-width: 600px)').matches);
  return (
    <details class="filters" open={open}>
      <summary>Filters {active && <span class="badge">on</span>}</summary>
      <form
        class="audit-filters"
        aria-label="Filter the audit trail"
        onSubmit={(e) => {
          e.preventDefault();
          onApply(draft);
        }}
      >
        <div class="grid">
          <label>
            Action
            <input list="audit-actions" placeholder="Any" {...field('action')} />
            <datalist id="audit-actions">
              {ACTIONS.map((a) => (
                <option value={a} />
              ))}
            </datalist>
          </label>
          <label>
            Object type
            <input placeholder="Any, e.g. member" {...field('objectType')} />
          </label>
          <label>
            Object id
            <input placeholder="Any" {...field('objectId')} />
          </label>
          <div>
            <label for="audit-face">Via</label>
            <select id="audit-face" name="face" value={draft.face} onChange={(e) => setDraft({ ...draft, face: (e.target as HTMLSelectElement).value })}>
              <option value="">Any</option>
              {FACES.map((f) => (
                <option value={f}>{f}</option>
              ))}
            </select>
          </div>
          {/* Who acted, picked among the org's members by login (a user id where they are unknown). */}
          {people && people.size > 0 ? (
            <div>
              <label for="audit-actor">Who</label>
              <select id="audit-actor" name="actorUserId" value={draft.actorUserId} onChange={(e) => setDraft({ ...draft, actorUserId: (e.target as HTMLSelectElement).value })}>
                <option value="">Anyone</option>
                {[...people]
                  .sort((x, y) => x[1].localeCompare(y[1]))
                  .map(([id, login]) => (
                    <option value={String(id)}>{login}</option>
                  ))}
              </select>
            </div>
          ) : (
            <label>
              Actor user id
              <input inputMode="numeric" placeholder="Any" {...field('actorUserId')} />
            </label>
          )}
        </div>
        <div class="button-row">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            class="secondary outline"
            onClick={() => {
              setDraft(NO_FILTERS);
              onApply(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>
    </details>
  );
}
