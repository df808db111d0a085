// Browser sessions (Grafana's auth tokens): the signed-in user's own on the account page, any
// user's on an admin's user page. Each shows where and when it was used; ending one is confirmed.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useAsync } from '../ui/async.ts';
import { when } from '../ui/bits.tsx';
import { ConfirmDialog } from '../ui/confirm.tsx';
import { ACTIONS, ListView } from '../ui/list.tsx';

interface AuthToken {
  id: number;
  isActive: boolean;
  clientIp: string;
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  device: string;
  createdAt: string;
  seenAt: string;
}

const describe = (s: AuthToken) =>
  `${s.browser}${s.browserVersion ? ' ' + s.browserVersion.split('.')[0] : ''} on ${s.os}${s.osVersion ? ' ' + s.osVersion : ''}${s.device !== 'Other' ? ` (${s.device})` : ''}`;

/** `userId`: a user's sessions seen by a server admin; without it, the caller's own. */
export function SessionsSection({ userId }: { userId?: number }) {
  const base = userId === undefined ? '/api/user' : `/api/admin/users/${userId}`;
  const sessions = useAsync(() => api<AuthToken[]>(`${base}/auth-tokens`), [base]);
  const [pending, setPending] = useState<AuthToken | 'all' | null>(null);
  const [notice, setNotice] = useState('');
  const own = userId === undefined;

  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">{own ? 'Your sessions' : 'Sessions'}</h2>
      <p class="muted">{own ? 'Browsers signed in as you. End any you do not recognise.' : 'Browsers signed in as this user.'}</p>
      <p class="row-status" role="status">
        {notice}
      </p>
      <ListView
        error={sessions.error}
        loading={sessions.loading}
        onRetry={sessions.reload}
        items={sessions.data}
        empty={own ? 'No sessions.' : 'This user is signed in nowhere.'}
        columns={[{ label: 'Device' }, { label: 'Address' }, { label: 'Signed in', class: 'hide-sm' }, { label: 'Last seen' }, ACTIONS]}
        row={(s) => (
          <tr key={s.id} data-session={s.id}>
            <td>
              {describe(s)} {s.isActive && <span class="badge">this session</span>}
            </td>
            <td>{s.clientIp}</td>
            <td class="hide-sm">{when(s.createdAt)}</td>
            <td>{when(s.seenAt)}</td>
            <td class="actions">
              {!s.isActive && (
                <button type="button" class="danger outline small" aria-label={`End session ${describe(s)} from ${s.clientIp}`} onClick={() => setPending(s)}>
                  End
                </button>
              )}
            </td>
          </tr>
        )}
      />
      {!own && !!sessions.data?.length && (
        <button type="button" class="secondary" onClick={() => setPending('all')}>
          Sign out everywhere
        </button>
      )}
      {pending && (
        <ConfirmDialog
          title={pending === 'all' ? 'End every session of this user?' : `End the session of ${describe(pending)}?`}
          confirmLabel={pending === 'all' ? 'Sign out everywhere' : 'End session'}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            if (pending === 'all') await api(`${base}/logout`, { method: 'POST' });
            else await api(`${base}/revoke-auth-token`, { method: 'POST', body: { authTokenId: pending.id } });
            setNotice(pending === 'all' ? 'Signed out everywhere' : 'Session ended');
            sessions.reload();
          }}
        >
          <p>{pending === 'all' ? 'Every browser signed in as this user must sign in again.' : `That browser (${pending.clientIp}) must sign in again.`}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
