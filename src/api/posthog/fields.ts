// DRF-style reading of a JSON body: fields are checked in the serializer's order and the first
// failure is reported with DRF's code and text; unknown fields are ignored.
import { phInvalid } from './errors.ts';

export type Body = Record<string, unknown>;

/** Python's str() of a JSON value, as DRF quotes it in messages. */
export function pyStr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const pyType = (v: unknown) =>
  Array.isArray(v) ? 'list' : v === null ? 'NoneType' : typeof v === 'string' ? 'str' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : 'dict';

export function asBody(raw: unknown): Body {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw phInvalid('invalid_input', `Invalid data. Expected a dictionary, but got ${pyType(raw)}.`, null);
  }
  return raw as Body;
}

interface Common {
  required?: boolean;
  allowNull?: boolean;
}

function present(body: Body, key: string, o: Common): boolean {
  if (!(key in body) || body[key] === undefined) {
    if (o.required) throw phInvalid('required', 'This field is required.', key);
    return false;
  }
  if (body[key] === null && !o.allowNull) throw phInvalid('null', 'This field may not be null.', key);
  return true;
}

/** CharField: a string (not a number or boolean: Roster is stricter than DRF here), trimmed. */
export function charField(body: Body, key: string, o: Common & { maxLength?: number; allowBlank?: boolean; trim?: boolean } = {}): string | null | undefined {
  if (!present(body, key, o)) return undefined;
  const v = body[key];
  if (v === null) return null;
  if (typeof v !== 'string') throw phInvalid('invalid_input', 'Not a valid string.', key);
  const s = o.trim === false ? v : v.trim();
  if (s === '' && !o.allowBlank) throw phInvalid('blank', 'This field may not be blank.', key);
  if (o.maxLength !== undefined && [...s].length > o.maxLength) {
    throw phInvalid('max_length', `Ensure this field has no more than ${o.maxLength} characters.`, key);
  }
  return s;
}

const TRUE = new Set(['t', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1']);
const FALSE = new Set(['f', 'F', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '0']);

/** BooleanField with DRF's accepted spellings (true, "true", 1, "1", "yes", ...). */
export function boolField(body: Body, key: string, o: Common = {}): boolean | null | undefined {
  if (!present(body, key, o)) return undefined;
  const v = body[key];
  if (v === null) return null;
  if (v === true || v === 1 || (typeof v === 'string' && TRUE.has(v))) return true;
  if (v === false || v === 0 || (typeof v === 'string' && FALSE.has(v))) return false;
  throw phInvalid('invalid_input', 'Must be a valid boolean.', key);
}

/** IntegerField: an integer or a string of digits. */
export function intField(body: Body, key: string, o: Common = {}): number | null | undefined {
  if (!present(body, key, o)) return undefined;
  const v = body[key];
  if (v === null) return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (typeof v === 'boolean' || !Number.isSafeInteger(n)) throw phInvalid('invalid_input', 'A valid integer is required.', key);
  return n;
}

/** ChoiceField: matches on str(value), as DRF does ("8" and 8 are the same choice). */
export function choiceField<T extends string | number>(body: Body, key: string, choices: readonly T[], o: Common & { allowBlank?: boolean } = {}): T | null | undefined {
  if (!present(body, key, o)) return undefined;
  const v = body[key];
  if (v === null) return null;
  if (v === '' && o.allowBlank) return '' as T;
  const hit = typeof v === 'string' || typeof v === 'number' ? choices.find((c) => String(c) === String(v)) : undefined;
  if (hit === undefined) throw phInvalid('invalid_choice', `"${pyStr(v)}" is not a valid choice.`, key);
  return hit;
}

/** ListField of strings. */
export function stringListField(body: Body, key: string, o: Common = {}): string[] | null | undefined {
  if (!present(body, key, o)) return undefined;
  const v = body[key];
  if (v === null) return null;
  if (!Array.isArray(v)) throw phInvalid('not_a_list', `Expected a list of items but got type "${pyType(v)}".`, key);
  for (const item of v) {
    if (typeof item !== 'string') throw phInvalid('invalid_input', 'Not a valid string.', key);
  }
  return v as string[];
}

/** ListField of integers. */
export function intListField(body: Body, key: string, o: Common = {}): number[] | null | undefined {
  if (!present(body, key, o)) return undefined;
  const v = body[key];
  if (v === null) return null;
  if (!Array.isArray(v)) throw phInvalid('not_a_list', `Expected a list of items but got type "${pyType(v)}".`, key);
  return v.map((item) => {
    const n = typeof item === 'number' ? item : typeof item === 'string' && /^\s*[+-]?\d+\s*$/.test(item) ? Number(item) : NaN;
    if (typeof item === 'boolean' || !Number.isSafeInteger(n)) throw phInvalid('invalid_input', 'A valid integer is required.', key);
    return n;
  });
}

// Django's EmailValidator, close enough: one "@", a dot-free-at-the-ends local part, a dotted domain.
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function emailField(body: Body, key: string, o: Common & { maxLength?: number } = {}): string | null | undefined {
  const s = charField(body, key, o);
  if (typeof s === 'string' && !EMAIL.test(s)) throw phInvalid('invalid_input', 'Enter a valid email address.', key);
  return s;
}
