// Matching user-typed text in queries: literal LIKE patterns, case-insensitive on both databases.
import { sql } from 'kysely';

/** Escapes LIKE metacharacters so user input matches literally. */
export function likePattern(text: string, mode: 'contains' | 'prefix'): string {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c);
  return mode === 'contains' ? `%${escaped}%` : `${escaped}%`;
}

/** Case-insensitive LIKE on both databases, index-friendly where the column is stored lower-cased. */
export function ilike(column: string, pattern: string) {
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}
