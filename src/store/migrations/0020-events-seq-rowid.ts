// Cheaper outbox appends (docs/events.md). Every audited write appends an event, so each index
// and trigger on `events` is paid by every write:
// - SQLite: `seq` becomes the table's own AUTOINCREMENT row id (one writer at a time: row ids are
//   in commit order, and AUTOINCREMENT never hands out one twice, even after the retention pruner
//   has deleted every row). The trigger that copied the id into `seq`, and the unique index on
//   `seq`, go; `id` stays as a generated copy of `seq`.
// - Both: the index on `at` goes. The pruner walks the oldest positions instead (store/events.ts).
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex('events_at').execute();
  if (ctx.dialect !== 'sqlite') return;
  await sql`drop trigger events_seq`.execute(db);
  await sql`
    create table events_by_seq (
      seq integer primary key autoincrement,
      id integer generated always as (seq) virtual,
      at text not null,
      type text not null,
      org_id integer,
      data text not null
    )`.execute(db);
  await sql`insert into events_by_seq (seq, at, type, org_id, data) select seq, at, type, org_id, data from events order by seq`.execute(db);
  // The next position continues after the last one ever given, not after the last one kept.
  await sql`delete from sqlite_sequence where name = 'events_by_seq'`.execute(db);
  await sql`insert into sqlite_sequence (name, seq) select 'events_by_seq', seq from sqlite_sequence where name = 'events'`.execute(db);
  await sql`drop table events`.execute(db);
  await sql`alter table events_by_seq rename to events`.execute(db);
  await db.schema.createIndex('events_org').on('events').columns(['org_id', 'seq']).execute();
}
