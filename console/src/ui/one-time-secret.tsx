// A new secret (a token or key value), shown once with a copy button: it lives only in the
// caller's state, so a reload or "Done" is the last anyone sees of it.
import { CopyButton } from './bits.tsx';

export function OneTimeSecret(props: { name: string; label: string; value: string; onDone(): void }) {
  const fieldId = `secret-${props.label.replace(/\W+/g, '-')}`;
  return (
    <div class="new-token" role="status">
      <p>
        <strong>{props.name} created.</strong> Copy it now: it is shown only once.
      </p>
      <fieldset role="group">
        <input id={fieldId} class="token-value" readOnly value={props.value} aria-label={props.label} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        <CopyButton text={props.value} fieldId={fieldId} />
      </fieldset>
      <button type="button" class="secondary small" onClick={props.onDone}>
        Done
      </button>
    </div>
  );
}
