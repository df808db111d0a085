// Users (server admins): search, paged, and create.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { navigate } from '../router.ts';
import type { Paged, UserHit } from '../types.ts';
import { useAction, useAsync } from '../ui/async.ts';
import { ErrorNote, Pager, SearchInput } from '../ui/bits.tsx';
import { ListView, useSearchPages } from '../ui/list.tsx';
import { CreatePanel } from '../ui/form-bits.tsx';

const PER_PAGE = 30;

export function UsersPage() {
  const { query, search, page, setPage, onSearch } = useSearchPages();
  const list = useAsync(() => {
    const q = new URLSearchParams({ query: search, perpage: String(PER_PAGE), page: String(page) });
    return api<Paged & { users: UserHit[] }>(`/api/users/search?${q}`);
  }, [search, page]);

  return (
    <>
      <h1>Users</h1>
      <CreateUser />
      <SearchInput label="Search users" placeholder="Search by login, email or name" value={query} onSearch={onSearch} />
      <ListView
        error={list.error}
        loading={list.loading}
        onRetry={list.reload}
        items={list.data?.users}
        empty="No user matches."
        columns={[{ label: 'Login' }, { label: 'Email' }, { label: 'Name', class: 'hide-sm' }, { label: 'Status' }]}
        row={(u) => (
          <tr key={u.id} data-login={u.login}>
            <td>
              <a href={`/users/${u.id}`}>{u.login}</a>
            </td>
            <td>{u.email}</td>
            <td class="hide-sm">{u.name}</td>
            <td>
              {u.isAdmin && <span class="badge">server admin</span>} {u.isDisabled && <span class="badge muted">disabled</span>}
              {!u.isAdmin && !u.isDisabled && <span class="muted">active</span>}
            </td>
          </tr>
        )}
      />
      {list.data && <Pager label="Users" page={page} total={list.data.totalCount} perPage={PER_PAGE} hasNext={page * PER_PAGE < list.data.totalCount} onPage={setPage} />}
    </>
  );
}

function CreateUser() {
  const [form, setForm] = useState({ login: '', email: '', name: '', password: '' });
  const action = useAction();
  const field = (key: keyof typeof form) => ({
    name: key,
    value: form[key],
    onInput: (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value }),
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    let id = 0;
    const body = Object.fromEntries(Object.entries(form).filter(([k, v]) => k === 'password' || v.trim() !== ''));
    const ok = await action.run(async () => {
      id = (await api<{ id: number }>('/api/admin/users', { method: 'POST', body })).id;
    });
    if (ok) navigate(`/users/${id}`);
  };
  return (
    <CreatePanel label="New user">
      <form onSubmit={submit} aria-label="Create a user">
        <div class="grid">
          <label>
            Login
            <input autocomplete="off" {...field('login')} />
          </label>
          <label>
            Email
            <input type="email" autocomplete="off" {...field('email')} />
          </label>
        </div>
        <div class="grid">
          <label>
            Name
            <input autocomplete="off" {...field('name')} />
          </label>
          <label>
            Password
            <input type="password" autocomplete="new-password" required {...field('password')} />
          </label>
        </div>
        <small>A login or an email is needed. The user joins the default organization.</small>
        <ErrorNote error={action.error} />
        <button type="submit" aria-busy={action.busy} disabled={action.busy}>
          Create user
        </button>
      </form>
    </CreatePanel>
  );
}
