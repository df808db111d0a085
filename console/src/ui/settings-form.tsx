// A form of settings described by a field list: switches, choices and text. Only the changed
// fields are sent; read-only callers see the same form, disabled. The server's answer becomes
// the new saved state, so what is shown is what was stored.
import { useEffect, useState } from 'preact/hooks';
import { useAction } from './async.ts';
import { ErrorNote } from './bits.tsx';
import { SaveRow } from './form-bits.tsx';

interface FieldBase {
  key: string;
  label: string;
  help?: string;
  /** A setting Roster keeps for a product's API clients but does not act on: the client's name. */
  storedFor?: 'OnCall' | 'PostHog';
}

export type SettingField = (FieldBase & { kind: 'switch' }) | (FieldBase & { kind: 'choice'; choices: { value: string; label: string }[] }) | (FieldBase & { kind: 'text'; placeholder?: string });

type Values = Record<string, unknown>;

export interface SettingsFormProps {
  title: string;
  fields: SettingField[];
  values: Values;
  canEdit: boolean;
  /** Sends the changed fields; resolves to the stored values. */
  save(patch: Values): Promise<Values>;
  /** How a text field's empty value is sent (PostHog's nullable strings: null). */
  emptyText?: null | '';
}

export function SettingsForm(props: SettingsFormProps) {
  const [saved, setSaved] = useState<Values>(props.values);
  const [draft, setDraft] = useState<Values>(props.values);
  const [status, setStatus] = useState('');
  const action = useAction();
  useEffect(() => {
    setSaved(props.values);
    setDraft(props.values);
  }, [props.values]);

  const changed = props.fields.filter((f) => norm(draft[f.key]) !== norm(saved[f.key]));
  const set = (key: string, value: unknown) => {
    setStatus('');
    setDraft({ ...draft, [key]: value });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const patch = Object.fromEntries(changed.map((f) => [f.key, f.kind === 'text' && draft[f.key] === '' ? (props.emptyText ?? null) : draft[f.key]]));
    let stored: Values = {};
    if (await action.run(async () => void (stored = await props.save(patch)))) {
      setSaved(stored);
      setDraft(stored);
      setStatus(`${props.title}: saved`);
    }
  };
  const id = (key: string) => `setting-${key}`;

  return (
    <form onSubmit={submit} aria-label={props.title} class="settings-form">
      <fieldset disabled={!props.canEdit || action.busy}>
        {props.fields.map((f) => (
          <div class="setting" key={f.key}>
            {f.kind === 'switch' ? (
              <label for={id(f.key)}>
                <input id={id(f.key)} name={f.key} type="checkbox" role="switch" checked={draft[f.key] === true} onChange={(e) => set(f.key, (e.target as HTMLInputElement).checked)} />
                {f.label}
              </label>
            ) : (
              <label for={id(f.key)}>{f.label}</label>
            )}
            {f.kind === 'choice' && (
              <select id={id(f.key)} name={f.key} value={String(draft[f.key] ?? '')} onChange={(e) => set(f.key, (e.target as HTMLSelectElement).value)}>
                {f.choices.map((c) => (
                  <option value={c.value}>{c.label}</option>
                ))}
              </select>
            )}
            {f.kind === 'text' && (
              <input id={id(f.key)} name={f.key} placeholder={f.placeholder} value={String(draft[f.key] ?? '')} onInput={(e) => set(f.key, (e.target as HTMLInputElement).value)} />
            )}
            {f.help && <small class="muted">{f.help}</small>}
            {f.storedFor && <small class="muted stored-only">Stored for {f.storedFor} clients; Roster does not enforce it.</small>}
          </div>
        ))}
      </fieldset>
      <ErrorNote error={action.error} />
      {props.canEdit && (
        <SaveRow label={`Save ${props.title}`} busy={action.busy} dirty={changed.length > 0} status={status}>
          <button type="button" class="secondary outline" disabled={action.busy || changed.length === 0} onClick={() => setDraft(saved)}>
            Undo changes
          </button>
        </SaveRow>
      )}
    </form>
  );
}

/** null, undefined and "" all mean "not set". */
const norm = (v: unknown) => (v === null || v === undefined ? '' : v);
