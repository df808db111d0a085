// One's own login, email and name (PUT /api/user). Grafana's endpoint takes all three (a missing
// login becomes the email), so the form always sends the three together. A new email is only
// applied once confirmed through the link mailed to it: the server says so, and so does the form.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';
import { useAction } from '../ui/async.ts';
import { ErrorNote } from '../ui/bits.tsx';
import { SaveRow } from '../ui/form-bits.tsx';

export function ProfileSection() {
  const session = useSession();
  const { me } = session;
  const saved = { login: me.login, email: me.email, name: me.name ?? '' };
  const [form, setForm] = useState(saved);
  const [status, setStatus] = useState('');
  const action = useAction();
  const field = (key: keyof typeof form) => ({
    name: key,
    value: form[key],
    onInput: (e: Event) => {
      setStatus('');
      setForm({ ...form, [key]: (e.target as HTMLInputElement).value });
    },
  });
  const dirty = (Object.keys(form) as (keyof typeof form)[]).some((k) => form[k].trim() !== saved[k]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { login: form.login.trim(), email: form.email.trim(), name: form.name.trim() };
    let message = '';
    if (await action.run(async () => (message = (await api<{ message: string }>('/api/user', { method: 'PUT', body })).message))) {
      await session.refresh();
      setStatus(message === 'Email sent for verification' ? `Saved; open the link mailed to ${body.email} to switch to that address` : 'Profile saved');
      // The address shown stays the confirmed one until the link is followed.
      if (message === 'Email sent for verification') setForm({ ...body, email: me.email });
    }
  };
  return (
    <form onSubmit={submit} aria-label="Your profile">
      <div class="grid">
        <label>
          Login
          <input required autocomplete="username" {...field('login')} />
        </label>
        <label>
          Email
          {/* Not type="email": a user made without one has their login as email, which the browser would refuse. */}
          <input inputMode="email" autocomplete="email" {...field('email')} />
        </label>
        <label>
          Name
          <input autocomplete="name" placeholder="Your full name" {...field('name')} />
        </label>
      </div>
      <ErrorNote error={action.error} />
      <SaveRow label="Save profile" busy={action.busy} dirty={dirty} status={status} />
    </form>
  );
}
