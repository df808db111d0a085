// Pieces the console's forms share: a "New …" panel that opens a create form, and the save row
// (save button, optional extra buttons, and the "saved" status read out to screen readers).
import type { ComponentChildren } from 'preact';

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
