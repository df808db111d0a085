// Which request fields may hold more than one line of text (domain/text.ts says what text is).
export { textFault } from '../domain/text.ts';

/** Body fields whose product allows several lines of text. */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['message']);

/** Body fields that hold free-form JSON chosen by the caller (an integration's config). */
export const FREE_JSON_FIELDS: ReadonlySet<string> = new Set(['config', 'sensitiveConfig']);

/** Body fields holding a password: only hashed, so any characters (a tab, a NUL) may be in one. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'oldPassword', 'newPassword', 'confirmNew']);
