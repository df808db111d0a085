// The one list wrapper every list page uses: the API's error, a loading note on the first load,
// an empty note, then a scrolling table (or, without columns, the rendered items as they are).
// While a later load runs, the old rows stay and the box is marked busy.
import type { ComponentChildren, VNode } from 'preact';
import { useState } from 'preact/hooks';
import { useDebounced } from './async.ts';
import { Empty, ErrorNote, Loading } from './bits.tsx';

export interface Column {
  label: string;
  /** Read by screen readers only (an actions column). */
  hiddenLabel?: boolean;
  /** Extra class of the header cell, e.g. 'hide-sm' to drop the column at phone widths. */
  class?: string;
}

export interface ListViewProps<T> {
  error: unknown;
  loading: boolean;
  /** Loads again after an error (a "Try again" button next to it). */
  onRetry?(): void;
  /** undefined until the first load ends. */
  items: T[] | undefined;
  empty: ComponentChildren;
  /** Table headers; `false` entries are skipped (columns only some roles see). Omit for a non-table list. */
  columns?: (Column | false)[];
  row(item: T): VNode;
  loadingLabel?: string;
  striped?: boolean;
}

export function ListView<T>(props: ListViewProps<T>) {
  const { items } = props;
  let body: ComponentChildren = null;
  if (props.loading && !items) body = <Loading label={props.loadingLabel} />;
  else if (items && items.length === 0) body = <Empty>{props.empty}</Empty>;
  else if (items && !props.columns) body = <div aria-busy={props.loading}>{items.map(props.row)}</div>;
  else if (items && props.columns) {
    const columns = props.columns.filter((c): c is Column => c !== false);
    body = (
      <div class="overflow-auto" aria-busy={props.loading}>
        <table class={props.striped === false ? undefined : 'striped'}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" class={c.class ?? (c.hiddenLabel ? 'actions-col' : undefined)}>
                  {c.hiddenLabel ? <span class="visually-hidden">{c.label}</span> : c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{items.map(props.row)}</tbody>
        </table>
      </div>
    );
  }
  return (
    <>
      <ErrorNote error={props.error} onRetry={props.loading ? undefined : props.onRetry} />
      {body}
    </>
  );
}

export const ACTIONS: Column = { label: 'Actions', hiddenLabel: true };

/** A searchable, paged list's state: typing goes back to page 1; `search` is the settled text. */
export function useSearchPages() {
  const [query, setQuery] = useState('');
  const search = useDebounced(query);
  const [page, setPage] = useState(1);
  const onSearch = (text: string) => {
    setQuery(text);
    setPage(1);
  };
  return { query, search, page, setPage, onSearch };
}
