// What text Roster accepts anywhere (the edge checks every request's strings with it, the domain
// every stored field, so a CLI import file is held to the same rules): well-formed UTF-16 (no lone
// surrogate, which PostgreSQL would store as U+FFFD and SQLite as is), no NUL (PostgreSQL refuses
// it in text), no other C0 or C1 control character, no DEL. Tab, LF and CR only where a field
// takes several lines (docs/input-limits.md).

// C0 controls except tab, LF, CR; DEL; C1 controls.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROL_OR_NEWLINE_CLASS = '\\u0000-\\u001F\\u007F-\\u009F';
const CONTROL_OR_NEWLINE = new RegExp(`[${CONTROL_OR_NEWLINE_CLASS}]`);
/** A JSON-schema pattern for a string without any control character (sign-in fields). */
export const NO_CONTROL_PATTERN = `^[^${CONTROL_OR_NEWLINE_CLASS}]*$`;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Any C0 or C1 control character or DEL, line breaks included (sign-in names and passwords). */
export function hasControlCharacters(s: string): boolean {
  return CONTROL_OR_NEWLINE.test(s);
}

/** Why `s` is not acceptable text, or undefined when it is. */
export function textFault(s: string, multiline = false): string | undefined {
  if (LONE_SURROGATE.test(s)) return 'is not well-formed Unicode';
  if ((multiline ? CONTROL : CONTROL_OR_NEWLINE).test(s)) return multiline ? 'contains a control character' : 'contains a control character or line break';
  return undefined;
}
