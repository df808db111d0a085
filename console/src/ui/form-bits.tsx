// Pieces the console's forms share: a "New …" panel that opens a create form, the save row
// (save button, optional extra buttons, and the "saved" status read out to screen readers), and
// an action form's submit button and outcome (its error, or what it did).
import type { ComponentChildren } from 'preact';
import { ErrorNote } from './bits.tsx';

export function CreatePanel({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <details class="create">
      <summary role="button" class="outline">
        {label}
      </summary>
      {children}
    </details>
  );
}

export function SaveRow(props: { label: string; busy: boolean; dirty: boolean; status: string; children?: ComponentChildren }) {
  return (
    <div class="button-row">
      <button type="submit" aria-busy={props.busy} disabled={props.busy || !props.dirty}>
        {props.label}
      </button>
      {props.children}
      <span class="row-status" role="status">
        {props.status}
      </span>
    </div>
  );
}

/** A form's submit button, busy (and not pressable again) while its action runs. */
export function SubmitButton({ busy, children }: { busy: boolean; children: ComponentChildren }) {
  return (
    <button type="submit" aria-busy={busy} disabled={busy}>
      {children}
    </button>
  );
}

/** Under an action form: the API's error, or what the action did, read out to screen readers. */
export function FormOutcome({ error, done }: { error: unknown; done: string }) {
  return (
    <>
      <ErrorNote error={error} />
      <p class="row-status" aria-live="polite">
        {done}
      </p>
    </>
  );
}
