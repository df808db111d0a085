// Sign in with Roster's session login (POST /login sets the grafana_session cookie). An account
// with two-factor authentication is answered "second factor required": the form then asks for
// the code and sends it with the password.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import { useAction } from '../ui/async.ts';
import { ErrorNote } from '../ui/bits.tsx';
import { SsoSignIn } from './login-sso.tsx';
import { ForgotPasswordForm } from './password-reset.tsx';

export function LoginPage({ onSignedIn }: { onSignedIn(): Promise<void> }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [forgot, setForgot] = useState(false);
  const [otp, setOtp] = useState<string | null>(null);
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    let askedForCode = false;
    const ok = await action.run(async () => {
      try {
        await api('/login', { method: 'POST', body: otp === null ? { user, password } : { user, password, otp } });
      } catch (err) {
        if (otp === null && err instanceof ApiError && (err.body as { messageId?: string } | null)?.messageId === 'auth.second-factor-required') {
          askedForCode = true;
          return;
        }
        throw err;
      }
    });
    if (askedForCode) setOtp('');
    else if (ok) await onSignedIn();
  };
  if (forgot) {
    return (
      <main class="container login">
        <article>
          <ForgotPasswordForm onBack={() => setForgot(false)} />
        </article>
      </main>
    );
  }
  return (
    <main class="container login">
      <article>
        <header>
          <h1>Sign in to Roster</h1>
        </header>
        <form onSubmit={submit}>
          <label>
            Login or email
            <input name="user" autocomplete="username" required autofocus value={user} onInput={(e) => setUser((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              aria-invalid={action.error ? true : undefined}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            />
          </label>
          {otp !== null && (
            <label>
              Authentication code
              <input name="otp" autocomplete="one-time-code" required autofocus value={otp} aria-describedby="otp-help" onInput={(e) => setOtp((e.target as HTMLInputElement).value)} />
              <small id="otp-help">The 6-digit code from your authenticator app, or one of your recovery codes.</small>
            </label>
          )}
          <ErrorNote error={action.error} />
          <button type="submit" aria-busy={action.busy} disabled={action.busy}>
            Sign in
          </button>
          <button type="button" class="secondary outline" onClick={() => setForgot(true)}>
            Forgot password?
          </button>
        </form>
        <SsoSignIn />
        <footer>
          <small class="muted">
            First start? Sign in as <code>admin</code> with the password the server printed when it first started (or <code>ROSTER_ADMIN_PASSWORD</code>); <code>npx roster admin reset-password</code>{' '}
            sets a new one.
          </small>
        </footer>
      </article>
    </main>
  );
}
