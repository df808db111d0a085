// "Forgot password?": ask for a reset link by login or email (the answer never says whether the
// account exists), and the page the mailed link opens, where the new password is chosen.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useAction } from '../ui/async.ts';
import { ErrorNote } from '../ui/bits.tsx';
import { SubmitButton } from '../ui/form-bits.tsx';

export const RESET_PAGE = '/user/password/reset';

export function ForgotPasswordForm({ onBack }: { onBack(): void }) {
  const [userOrEmail, setUserOrEmail] = useState('');
  const [sent, setSent] = useState(false);
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => api('/api/user/password/send-reset-email', { method: 'POST', body: { userOrEmail } }))) setSent(true);
  };
  return (
    <>
      <header>
        <h1>Reset your password</h1>
      </header>
      {sent ? (
        <p role="status">If an account with that login or email exists and can sign in with a password, a link to reset it is on its way. Check your mail; the link works for 2 hours.</p>
      ) : (
        <form onSubmit={submit} aria-label="Reset your password">
          <label>
            Login or email
            <input name="userOrEmail" autocomplete="username" required autofocus value={userOrEmail} onInput={(e) => setUserOrEmail((e.target as HTMLInputElement).value)} />
          </label>
          <ErrorNote error={action.error} />
          <SubmitButton busy={action.busy}>Send reset link</SubmitButton>
        </form>
      )}
      <footer>
        <button type="button" class="secondary outline" onClick={onBack}>
          Back to sign in
        </button>
      </footer>
    </>
  );
}

/** Where the mailed link lands: /user/password/reset?code=... */
export function ResetPasswordPage({ onDone }: { onDone(): void }) {
  const code = new URLSearchParams(location.search).get('code') ?? '';
  const [form, setForm] = useState({ newPassword: '', confirmPassword: '' });
  const [done, setDone] = useState(false);
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => api('/api/user/password/reset', { method: 'POST', body: { code, ...form } }))) setDone(true);
  };
  const field = (key: keyof typeof form) => ({
    name: key,
    type: 'password' as const,
    autocomplete: 'new-password',
    required: true,
    value: form[key],
    onInput: (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value }),
  });
  return (
    <main class="container login">
      <article>
        <header>
          <h1>Choose a new password</h1>
        </header>
        {done ? (
          <p role="status">Your password is changed, and every browser that was signed in as you is signed out.</p>
        ) : !code ? (
          <p>This page is opened by the link in a password reset mail, and this address has no code. Ask for a new link from the sign-in page.</p>
        ) : (
          <form onSubmit={submit} aria-label="Choose a new password">
            <label>
              New password
              <input {...field('newPassword')} />
            </label>
            <label>
              New password again
              <input {...field('confirmPassword')} />
            </label>
            <ErrorNote error={action.error} />
            <SubmitButton busy={action.busy}>Set password</SubmitButton>
          </form>
        )}
        <footer>
          <button type="button" class="secondary outline" onClick={onDone}>
            {done ? 'Sign in' : 'Back to sign in'}
          </button>
        </footer>
      </article>
    </main>
  );
}
