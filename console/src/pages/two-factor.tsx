// Two-factor authentication on the account page: set it up (QR code and secret, confirmed with a
// first code), the ten recovery codes shown once, turning it off with a code; and the notice when
// an organization requires it.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { ErrorNote, Loading } from '../ui/bits.tsx';
import { useSession } from '../session.tsx';
import { SubmitButton } from '../ui/form-bits.tsx';

export interface TwoFactorStatus {
  enabled: boolean;
  pending: boolean;
  recoveryCodesLeft: number;
  requiredBy: number[];
  held: boolean;
}

export const twoFactorStatus = () => api<TwoFactorStatus>('/api/roster/v1/user/two-factor');

interface Enrolment {
  secret: string;
  otpauthUrl: string;
  qrCode: string;
}

export function TwoFactorSection({ orgName }: { orgName(id: number): string }) {
  const status = useAsync(twoFactorStatus, []);
  const session = useSession();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const start = useAction();
  const [password, setPassword] = useState('');
  const s = status.data;

  return (
    <section aria-labelledby="two-factor-heading" id="two-factor">
      <h2 id="two-factor-heading">Two-factor authentication</h2>
      {s && s.requiredBy.length > 0 && !s.enabled && (
        <p role="alert" class="error-note">
          {s.requiredBy.map(orgName).join(', ')} {s.requiredBy.length === 1 ? 'requires' : 'require'} two-factor authentication: set it up below to keep working there.
        </p>
      )}
      <ErrorNote error={status.error} onRetry={status.reload} />
      {!s ? (
        status.loading && <Loading />
      ) : codes ? (
        <RecoveryCodes
          codes={codes}
          onDone={() => {
            setCodes(null);
            status.reload();
            // The orgs that held this session off now let it in.
            void session.refresh();
          }}
        />
      ) : s.enabled ? (
        <>
          <p>
            <strong>On.</strong> Signing in with your password also asks for a code from your authenticator app. {s.recoveryCodesLeft} of 10 recovery codes left.
          </p>
          <TurnOff onDone={status.reload} />
        </>
      ) : enrolment ? (
        <Confirm
          enrolment={enrolment}
          onConfirmed={(c) => {
            setEnrolment(null);
            setCodes(c);
          }}
        />
      ) : (
        <form
          aria-label="Set up two-factor authentication"
          onSubmit={(e) => {
            e.preventDefault();
            void start.run(async () => setEnrolment(await api<Enrolment>('/api/roster/v1/user/two-factor/enrolment', { method: 'POST', body: { password } })));
          }}
        >
          <p>Off. With it on, signing in with your password also asks for a 6-digit code from an authenticator app on your phone.</p>
          <label for="two-factor-password">Your password</label>
          <fieldset role="group">
            <input
              id="two-factor-password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            />
            <SubmitButton busy={start.busy}>Set up two-factor authentication</SubmitButton>
          </fieldset>
          <ErrorNote error={start.error} />
        </form>
      )}
    </section>
  );
}

function Confirm({ enrolment, onConfirmed }: { enrolment: Enrolment; onConfirmed(codes: string[]): void }) {
  const [code, setCode] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    let codes: string[] = [];
    if (await action.run(async () => (codes = (await api<{ recoveryCodes: string[] }>('/api/roster/v1/user/two-factor/confirm', { method: 'POST', body: { code } })).recoveryCodes)))
      onConfirmed(codes);
  };
  return (
    <form onSubmit={submit} aria-label="Confirm two-factor authentication">
      <p>Scan this code with your authenticator app, or type the key into it, then enter the 6-digit code it shows.</p>
      <img src={enrolment.qrCode} width={240} height={240} alt="QR code of your two-factor secret" />
      <p>
        Key: <code data-secret>{enrolment.secret}</code>
      </p>
      <label>
        Code from the app
        <input name="code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
      </label>
      <ErrorNote error={action.error} />
      <SubmitButton busy={action.busy}>Turn on</SubmitButton>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  return (
    <div class="new-token" role="status">
      <p>
        <strong>Two-factor authentication is on.</strong> Save these recovery codes somewhere safe: each signs you in once if you lose your phone. They are shown only now.
      </p>
      <ul class="recovery-codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <button type="button" class="secondary small" onClick={onDone}>
        I have saved them
      </button>
    </div>
  );
}

function TurnOff({ onDone }: { onDone(): void }) {
  const [code, setCode] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => api('/api/roster/v1/user/two-factor/disable', { method: 'POST', body: { code } }))) onDone();
  };
  return (
    <form onSubmit={submit} aria-label="Turn off two-factor authentication">
      <label for="two-factor-off-code">Code from the app, or a recovery code</label>
      <fieldset role="group">
        <input id="two-factor-off-code" name="code" autocomplete="one-time-code" required value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
        <button type="submit" class="danger" aria-busy={action.busy} disabled={action.busy}>
          Turn off
        </button>
      </fieldset>
      <ErrorNote error={action.error} />
    </form>
  );
}
