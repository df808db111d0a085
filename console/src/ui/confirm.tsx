// A confirmation in a native modal <dialog>: focus moves into it, Escape cancels (focus goes back
// to the opener), and the server's error (if the action fails) is shown in the dialog itself.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useAction } from './async.ts';
import { ErrorNote } from './bits.tsx';

export interface ConfirmProps {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm(): Promise<unknown>;
  onClose(): void;
}

export function ConfirmDialog(props: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const action = useAction();
  useEffect(() => {
    const d = ref.current;
    // Back to the button that opened the dialog when it closes (if that button still exists).
    const opener = document.activeElement as HTMLElement | null;
    if (d && !d.open) d.showModal();
    // The safe choice has the focus.
    cancelRef.current?.focus();
    return () => {
      if (d?.open) d.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const confirm = async () => {
    if (await action.run(props.onConfirm)) props.onClose();
  };
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" onCancel={(e) => (e.preventDefault(), !action.busy && props.onClose())}>
      <article>
        <header>
          <h2 id="confirm-title">{props.title}</h2>
        </header>
        {props.children}
        <ErrorNote error={action.error} />
        <footer>
          <button type="button" class="secondary" ref={cancelRef} disabled={action.busy} onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" class="danger" aria-busy={action.busy} disabled={action.busy} onClick={confirm}>
            {props.confirmLabel}
          </button>
        </footer>
      </article>
    </dialog>
  );
}
