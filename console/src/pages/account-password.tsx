// Changing one's own password (PUT /api/user/password): the current one is asked for, the new one
// typed twice. The session stays signed in.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useAction } from '../ui/async.ts';
import { ErrorNote } from '../ui/bits.tsx';
import { SaveRow } from '../ui/form-bits.tsx';

export function ChangePasswordSection() {
  const [form, setForm] = useState({ oldPassword: '', newPassword: '', confirmNew: '' });
  const [status, setStatus] = useState('');
  const action = useAction();
  const field = (key: keyof typeof form) => ({
    name: key,
    type: 'password' as const,
    required: true,
    value: form[key],
    onInput: (e: Event) => {
      setStatus('');
      setForm({ ...form, [key]: (e.target as HTMLInputElement).value });
    },
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await action.run(async () => {
      if (form.newPassword !== form.confirmNew) throw new Error('The new password and its confirmation differ.');
      await api('/api/user/password', { method: 'PUT', body: form });
    });
    if (ok) {
      setForm({ oldPassword: '', newPassword: '', confirmNew: '' });
      setStatus('Password changed');
    }
  };
  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form onSubmit={submit} aria-label="Change your password">
        <div class="grid">
          <label>
            Current password
            <input autocomplete="current-password" {...field('oldPassword')} />
          </label>
          <label>
            New password
            <input autocomplete="new-password" {...field('newPassword')} />
          </label>
          <label>
            New password again
            <input autocomplete="new-password" {...field('confirmNew')} />
          </label>
        </div>
        <ErrorNote error={action.error} />
        <SaveRow label="Change password" busy={action.busy} dirty={Object.values(form).every(Boolean)} status={status} />
      </form>
    </section>
  );
}
