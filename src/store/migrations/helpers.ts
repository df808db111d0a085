// What migrations need to stay portable between SQLite and PostgreSQL.
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
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
