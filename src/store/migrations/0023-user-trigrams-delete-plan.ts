// PostgreSQL: the delete trigger of migration 0022 removes a deleted user's trigram rows by key,
// however many users a statement deletes and whatever the connection deleted before.
//
// The planner takes each user's trigrams for 600 rows (a set-returning function's guess), so for
// more than a few removed users it joined them with user_trigrams on (login, id) first: a hash
// join over a sequential scan of the whole table. And the statement has no parameter (it reads the
// `removed` transition table), so PL/pgSQL plans it once per connection and keeps that plan: after
// a bulk delete, every single-user delete on that connection scanned the whole table too. At 100 k
// users, a 2,001-user delete first on a connection: 1,733 ms, then 525-627 ms per single delete.
// Now the removed users' trigrams are listed first (a materialized CTE, which no plan can reorder)
// and each row is found through the primary key (hash and merge joins are off inside the
// function): the same case takes 627 ms, then 0.8-1.3 ms per single delete.
// SQLite: its row trigger deletes by key already.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'sqlite') return;
  // `jit = off`: as in 0021 and 0022.
  await sql`create or replace function user_trigrams_removed() returns trigger language plpgsql
    set jit = off set enable_hashjoin = off set enable_mergejoin = off as $$ begin
    with doomed as materialized (
      select g as gram, r.login, r.id from removed r, user_trigrams_of(lower(r.login), lower(r.email), lower(r.name)) g)
    delete from user_trigrams t using doomed d where t.gram = d.gram and t.login = d.login and t.id = d.id;
    return null;
  end $$`.execute(db);
}
