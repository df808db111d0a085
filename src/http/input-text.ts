// What a string from a request may contain. Every string Roster stores or queries with must be
// text PostgreSQL accepts and people can read: well-formed UTF-16 (no lone surrogate, which
// would be stored as U+FFFD on PostgreSQL and kept as is on SQLite), no NUL (PostgreSQL refuses
// it in text, so it used to surface as a 500), no other C0 or C1 control character, no DEL.
// Tab, LF and CR are allowed only in the fields listed in MULTILINE_FIELDS (docs/input-limits.md).

/** Body fields whose product allows several lines of text. */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['message']);

/** Body fields that hold free-form JSON chosen by the caller (an integration's config). */
export const FREE_JSON_FIELDS: ReadonlySet<string> = new Set(['config', 'sensitiveConfig']);

// C0 controls except tab, LF, CR; DEL; C1 controls.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROL_OR_NEWLINE = /[\u0000-\u001F\u007F-\u009F]/;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` is not acceptable text, or undefined when it is. */
export function textFault(s: string, multiline = false): string | undefined {
  if (LONE_SURROGATE.test(s)) return 'is not well-formed Unicode';
  if ((multiline ? CONTROL : CONTROL_OR_NEWLINE).test(s)) return multiline ? 'contains a control character' : 'contains a control character or line break';
  return undefined;
}
