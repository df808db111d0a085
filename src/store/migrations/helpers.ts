// What migrations need to stay portable between SQLite and PostgreSQL.
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export interface MigrationContext {
  dialect: Dialect;
}

export interface Migration {
  name: string;
  up(db: Kysely<any>, ctx: MigrationContext): Promise<void>;
}

/** An auto-increment integer primary key in each dialect. */
export function idColumn(dialect: Dialect): {
  type: 'integer' | 'serial';
  build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
} {
  return dialect === 'sqlite' ? { type: 'integer', build: (c) => c.primaryKey().autoIncrement() } : { type: 'serial', build: (c) => c.primaryKey() };
}

/**
 * PostgreSQL: the triggers that keep a table derived from the users' searched columns (0021, 0022)
 * in step, calling `${prefix}_added()` per insert statement (new rows as `added`), `_removed()` per
 * delete statement (`removed`), `_changed()` per row whose login, email or name changes, and
 * `_truncated()` after a TRUNCATE (which fires no delete trigger).
 */
export async function createUsersSearchTriggers(db: Kysely<any>, prefix: string): Promise<void> {
  const fn = (suffix: string) => sql.raw(`${prefix}_${suffix}()`);
  const name = (suffix: string) => sql.id(`${prefix}_${suffix}`);
  await sql`create trigger ${name('ai')} after insert on users referencing new table as added for each statement execute function ${fn('added')}`.execute(db);
  await sql`create trigger ${name('ad')} after delete on users referencing old table as removed for each statement execute function ${fn('removed')}`.execute(db);
  await sql`create trigger ${name('au')} after update of login, email, name on users for each row
    when (old.login is distinct from new.login or old.email is distinct from new.email or old.name is distinct from new.name)
    execute function ${fn('changed')}`.execute(db);
  await sql`create trigger ${name('at')} after truncate on users for each statement execute function ${fn('truncated')}`.execute(db);
}
