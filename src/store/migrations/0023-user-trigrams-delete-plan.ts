// PostgreSQL: the delete trigger of migration 0022 removes a deleted user's trigram rows by key,
// however many users a statement deletes and whatever the connection deleted before.
//
// Its statement has no parameter (it reads the `removed` transition table), so PL/pgSQL planned
// it once per connection and kept the plan made for the first delete there. The planner also takes
// each user's trigrams for 600 rows (a set-returning function's guess), so it joined the removed
// users with user_trigrams on (login, id) first: a hash join over a sequential scan of the whole
// table for a bulk delete (2,000 users: 1.8 s at 100 k users), and after one, every single-user
// delete on that connection scanned the whole table too (226-249 ms at 50 k users instead of
// 1-3 ms). Now the trigrams of the removed users are listed first (a materialized CTE), each row is
// found through the primary key (hash and merge joins off inside the function: the alternatives
// left are products the planner always prices higher, except on a table so small it does not
// matter), and EXECUTE plans the statement anew for each delete.
// SQLite: its row trigger deletes by key already.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'sqlite') return;
  // `jit = off`: as in 0021 and 0022.
  await sql`create or replace function user_trigrams_removed() returns trigger language plpgsql
    set jit = off set enable_hashjoin = off set enable_mergejoin = off as $$ begin
    execute 'with doomed as materialized (
        select g as gram, r.login, r.id from removed r, user_trigrams_of(lower(r.login), lower(r.email), lower(r.name)) g)
      delete from user_trigrams t using doomed d where t.gram = d.gram and t.login = d.login and t.id = d.id';
    return null;
  end $$`.execute(db);
}
