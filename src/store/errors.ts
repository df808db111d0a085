// Recognises constraint violations from either database, so the domain can turn a lost race
// into the same conflict error a pre-check would have raised.
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return !!e && (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === '23505');
}

/** Whether a unique violation concerns the given column (PostgreSQL names the constraint, SQLite the column). */
export function violatesColumn(err: unknown, table: string, column: string): boolean {
  const e = err as { constraint?: string; message?: string } | null;
  if (!e || !isUniqueViolation(err)) return false;
  return e.constraint === `${table}_${column}_key` || (e.message ?? '').includes(`${table}.${column}`);
}

/** A row referenced something that no longer exists (deleted by a concurrent request). */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return !!e && (e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || e.code === '23503');
}
