// Small shared pieces: loading and error notes, a search box, a pager, a role picker, a copy button.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { errorText } from '../api.ts';
import { ROLES, type Role } from '../types.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p aria-busy="true" class="loading">
      {label}
    </p>
  );
}

/** The API's error as it said it; with onRetry, a "Try again" button (a list that failed to load). */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?(): void }) {
  if (!error) return null;
  return (
    <p role="alert" class="error-note">
      {errorText(error)}
      {onRetry && (
        <button type="button" class="secondary outline small retry" onClick={onRetry}>
          Try again
        </button>
      )}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** A list's search box; each keystroke reports the text (callers go back to page 1). */
export function SearchInput(props: { label: string; placeholder?: string; name?: string; value: string; onSearch(text: string): void }) {
  return (
    <input
      type="search"
      name={props.name}
      aria-label={props.label}
      placeholder={props.placeholder ?? props.label}
      value={props.value}
      onInput={(e) => props.onSearch((e.target as HTMLInputElement).value)}
    />
  );
}

export function Pager(props: { page: number; hasNext: boolean; onPage(p: number): void; label: string; total?: number; perPage?: number }) {
  const pages = props.total !== undefined && props.perPage ? Math.max(1, Math.ceil(props.total / props.perPage)) : undefined;
  if (props.page === 1 && !props.hasNext) return null;
  return (
    <nav class="pager" aria-label={`${props.label} pages`}>
      <button type="button" class="secondary outline" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
        Previous
      </button>
      <span aria-live="polite">
        Page {props.page}
        {pages ? ` of ${pages}` : ''}
      </span>
      <button type="button" class="secondary outline" disabled={!props.hasNext} onClick={() => props.onPage(props.page + 1)}>
        Next
      </button>
    </nav>
  );
}

export function RoleSelect(props: { value: Role; onChange(r: Role): void; label: string; disabled?: boolean; name?: string; withNone?: boolean }) {
  return (
    <select name={props.name} aria-label={props.label} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value as Role)}>
      {ROLES.filter((r) => props.withNone !== false || r !== 'None').map((r) => (
        <option value={r}>{r}</option>
      ))}
    </select>
  );
}

/** Copies text; where the Clipboard API is missing, selects the field so Ctrl+C works. */
export function CopyButton({ text, fieldId }: { text: string; fieldId: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      const field = document.getElementById(fieldId) as HTMLInputElement | null;
      field?.focus();
      field?.select();
      setState('select');
    }
  };
  return (
    <>
      <button type="button" onClick={copy}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span class="visually-hidden" aria-live="polite">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'select' ? 'Selected: press Ctrl+C to copy' : ''}
      </span>
    </>
  );
}

export function when(iso: string | null): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
