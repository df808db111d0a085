// A user's contact data (native /api/roster/v1/users/:id/contact): time zone, phone number with
// its private and verified flags, Slack identities. Only org Admins and server admins may mark a
// number verified; the server unverifies a changed number otherwise, and the form shows its answer.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { Contact, SlackIdentity } from '../types-more.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { ErrorNote, Loading } from '../ui/bits.tsx';
import { SaveRow } from '../ui/form-bits.tsx';

const TIME_ZONES: string[] = (Intl as { supportedValuesOf?(k: string): string[] }).supportedValuesOf?.('timeZone') ?? [];

interface Draft {
  timezone: string;
  phone_number: string;
  phone_private: boolean;
  phone_verified: boolean;
  slack: SlackIdentity[];
}

const draftOf = (c: Contact): Draft => ({
  timezone: c.timezone ?? '',
  phone_number: c.phone_number ?? '',
  phone_private: c.phone_private,
  phone_verified: c.phone_verified,
  slack: c.slack.map((s) => ({ ...s })),
});

/** Only what changed, so a plain user's save never touches the verified flag. */
function patchOf(saved: Draft, d: Draft): Partial<Draft> {
  const out: Partial<Draft> = {};
  if (d.timezone.trim() !== saved.timezone) out.timezone = d.timezone.trim();
  if (d.phone_number.trim() !== saved.phone_number) out.phone_number = d.phone_number.trim();
  if (d.phone_private !== saved.phone_private) out.phone_private = d.phone_private;
  if (d.phone_verified !== saved.phone_verified) out.phone_verified = d.phone_verified;
  const slack = d.slack.map((s) => ({ user_id: s.user_id.trim(), team_id: s.team_id.trim() })).filter((s) => s.user_id || s.team_id);
  if (JSON.stringify(slack) !== JSON.stringify(saved.slack)) out.slack = slack;
  return out;
}

export function ContactSection({ userId, canVerify, canEdit = true }: { userId: number; canVerify: boolean; canEdit?: boolean }) {
  const contact = useAsync(() => api<Contact>(`/api/roster/v1/users/${userId}/contact`), [userId]);
  return (
    <section aria-labelledby="contact-heading">
      <h2 id="contact-heading">Contact</h2>
      <ErrorNote error={contact.error} />
      {contact.data ? <ContactForm contact={contact.data} canVerify={canVerify} canEdit={canEdit} /> : contact.loading && <Loading />}
    </section>
  );
}

function ContactForm(props: { contact: Contact; canVerify: boolean; canEdit: boolean }) {
  const [saved, setSaved] = useState(draftOf(props.contact));
  const [d, setDraft] = useState(saved);
  const [status, setStatus] = useState('');
  const action = useAction();
  useEffect(() => {
    setSaved(draftOf(props.contact));
    setDraft(draftOf(props.contact));
  }, [props.contact]);
  const set = (change: Partial<Draft>) => {
    setStatus('');
    setDraft({ ...d, ...change });
  };
  const patch = patchOf(saved, d);
  const dirty = Object.keys(patch).length > 0;
  const submit = async (e: Event) => {
    e.preventDefault();
    let stored: Contact | undefined;
    if (await action.run(async () => void (stored = await api<Contact>(`/api/roster/v1/users/${props.contact.id}/contact`, { method: 'PATCH', body: patch })))) {
      setSaved(draftOf(stored!));
      setDraft(draftOf(stored!));
      setStatus('Contact saved');
    }
  };
  const slackAt = (i: number, change: Partial<SlackIdentity>) => set({ slack: d.slack.map((s, j) => (j === i ? { ...s, ...change } : s)) });

  return (
    <form onSubmit={submit} aria-label="Contact" class="contact-form">
      <fieldset disabled={!props.canEdit || action.busy}>
        <div class="grid">
          <label>
            Time zone
            <input name="timezone" list="time-zones" placeholder="e.g. Europe/Paris" value={d.timezone} onInput={(e) => set({ timezone: (e.target as HTMLInputElement).value })} />
            <datalist id="time-zones">
              {TIME_ZONES.map((z) => (
                <option value={z} />
              ))}
            </datalist>
          </label>
          <label>
            Phone number
            <input name="phone" type="tel" placeholder="+12345678901" value={d.phone_number} onInput={(e) => set({ phone_number: (e.target as HTMLInputElement).value })} />
          </label>
        </div>
        <label>
          <input type="checkbox" role="switch" name="phonePrivate" checked={d.phone_private} onChange={(e) => set({ phone_private: (e.target as HTMLInputElement).checked })} />
          Keep the phone number private
        </label>
        <label>
          <input
            type="checkbox"
            role="switch"
            name="phoneVerified"
            disabled={!props.canVerify}
            checked={d.phone_verified}
            onChange={(e) => set({ phone_verified: (e.target as HTMLInputElement).checked })}
          />
          Phone number verified
          {!props.canVerify && <span class="muted note">(an admin verifies numbers)</span>}
        </label>
        <fieldset class="slack">
          <legend>Slack identities</legend>
          {d.slack.length === 0 && <p class="muted">None.</p>}
          {d.slack.map((s, i) => (
            <div role="group" class="slack-row" aria-label={`Slack identity ${i + 1}`}>
              <input aria-label={`Slack user id ${i + 1}`} placeholder="User id, e.g. U0123ABC" value={s.user_id} onInput={(e) => slackAt(i, { user_id: (e.target as HTMLInputElement).value })} />
              <input aria-label={`Slack team id ${i + 1}`} placeholder="Team id, e.g. T0123ABC" value={s.team_id} onInput={(e) => slackAt(i, { team_id: (e.target as HTMLInputElement).value })} />
              <button type="button" class="secondary outline small" aria-label={`Remove Slack identity ${i + 1}`} onClick={() => set({ slack: d.slack.filter((_, j) => j !== i) })}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" class="secondary outline small" onClick={() => set({ slack: [...d.slack, { user_id: '', team_id: '' }] })}>
            Add Slack identity
          </button>
        </fieldset>
      </fieldset>
      <ErrorNote error={action.error} />
      {props.canEdit && <SaveRow label="Save contact" busy={action.busy} dirty={dirty} status={status} />}
    </form>
  );
}
