// A request refused by the schema (drf-validator.ts), worded as PostHog words it: DRF's field
// messages in drf-exceptions-hog's body, one error per response, the first field in the
// serializer's order (the schema's property order) (docs/compat/posthog.md#validation).
import type { ErrorObject } from 'ajv';
import type { FastifyRequest } from 'fastify';
import { charLength } from '../../domain/limits.ts';
import { phInvalid, type PhError } from './errors.ts';
import { choicesOf, DRF_MESSAGES, isNullable, nonNull, type Schema } from './drf-validator.ts';

/** Python's repr() of a JSON value: how a list or dictionary shows its items. */
function pyRepr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') {
    const escaped = v.replace(/\\/g, '\\\\');
    return v.includes("'") && !v.includes('"') ? `"${escaped}"` : `'${escaped.replace(/'/g, "\\'")}'`;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, item]) => `${pyRepr(k)}: ${pyRepr(item)}`)
      .join(', ')}}`;
  return String(v);
}

/** Python's str() of a JSON value, as DRF quotes it in messages. */
export const pyStr = (v: unknown): string => (typeof v === 'string' ? v : pyRepr(v));

/** Python's type name of a JSON value. */
const pyType = (v: unknown) =>
  Array.isArray(v) ? 'list' : v === null ? 'NoneType' : typeof v === 'string' ? 'str' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : 'dict';

const unescape = (seg: string) => seg.replace(/~1/g, '/').replace(/~0/g, '~');

/** Where an error points: the path to the value, a missing property included. */
function segmentsOf(e: ErrorObject): string[] {
  const path = e.instancePath ? e.instancePath.split('/').slice(1).map(unescape) : [];
  return e.keyword === 'required' ? [...path, String(e.params.missingProperty)] : path;
}

/** A path's place in the serializer's order: property positions and list indexes. */
function orderOf(schema: Schema, segments: string[]): number[] {
  const out: number[] = [];
  let s = schema;
  for (const seg of segments) {
    s = nonNull(s);
    if (s.type === 'array') {
      out.push(Number(seg));
      s = s.items ?? {};
    } else {
      const keys = Object.keys(s.properties ?? {});
      out.push(keys.includes(seg) ? keys.indexOf(seg) : keys.length);
      s = s.properties?.[seg] ?? {};
    }
  }
  return out;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * drf-exceptions-hog's `attr`: the keys of the error's place joined with "__" (a list item adds
 * its index, a many=True body a leading "" key), none for the body as a whole.
 */
function attrOf(keys: string[]): string | null {
  const attr = keys.join('__');
  return attr === '' || attr === 'non_field_errors' ? null : attr;
}

/** A value that is not of the field's kind: DRF's to_internal_value message for that kind. */
function wrongKind(s: Schema, value: unknown, keys: string[]): PhError {
  if (choicesOf(s)) return phInvalid('invalid_choice', `"${pyStr(value)}" is not a valid choice.`, attrOf(keys));
  switch (s.type) {
    case 'string':
      return phInvalid('invalid_input', 'Not a valid string.', attrOf(keys));
    case 'boolean':
      return phInvalid('invalid_input', 'Must be a valid boolean.', attrOf(keys));
    case 'integer':
      return phInvalid('invalid_input', 'A valid integer is required.', attrOf(keys));
    case 'array':
      return phInvalid('not_a_list', `Expected a list of items but got type "${pyType(value)}".`, attrOf(keys));
    default:
      // A serializer given something else than a dictionary reports it as a non-field error.
      return phInvalid('invalid_input', `Invalid data. Expected a dictionary, but got ${pyType(value)}.`, attrOf([...keys, 'non_field_errors']));
  }
}

/** A field's first failing check, in DRF's order: present, not null, its kind, blank, length, format. */
function fieldError(schema: Schema, value: unknown, keys: string[], rest: string[]): PhError {
  const attr = attrOf(keys);
  if (value === undefined) return phInvalid('required', 'This field is required.', attr);
  if (value === null && !isNullable(schema)) return phInvalid('null', 'This field may not be null.', attr);
  const s = nonNull(schema);
  if (s.type === 'array' && Array.isArray(value) && rest.length) {
    // A ListField reports its child's error under the item's index.
    return fieldError(s.items ?? {}, value[Number(rest[0])], [...keys, rest[0]], rest.slice(1));
  }
  if (s.type === 'string' && typeof value === 'string') {
    if (value === '' && (s.minLength ?? 0) > 0) return phInvalid('blank', 'This field may not be blank.', attr);
    if (s.maxLength !== undefined && charLength(value) > s.maxLength) {
      return phInvalid('max_length', `Ensure this field has no more than ${s.maxLength} characters.`, attr);
    }
    if (s.format === 'email') return phInvalid('invalid_input', 'Enter a valid email address.', attr);
  }
  return wrongKind(s, value, keys);
}

/** The error of the value at `segments` (an object's property names, a list's indexes). */
function errorAt(schema: Schema, data: unknown, segments: string[], failed: ErrorObject): PhError {
  const keys: string[] = [];
  let s = schema;
  let value = data;
  for (let i = 0; i < segments.length; i++) {
    s = nonNull(s);
    const seg = segments[i];
    if (s.type === 'array') {
      // A body of many (bulk invites): drf-exceptions-hog files its item errors under "".
      keys.push(...(i === 0 ? ['', seg] : [seg]));
      s = s.items ?? {};
      value = (value as unknown[])[Number(seg)];
      continue;
    }
    return fieldError(s.properties?.[seg] ?? {}, (value as Record<string, unknown>)[seg], [...keys, seg], segments.slice(i + 1));
  }
  // The whole body (or a list's item) is wrong: the view's own words, else the serializer's.
  const own = nonNull(s)[DRF_MESSAGES]?.[failed.keyword];
  if (own) return phInvalid(own[0], own[1], null);
  return wrongKind(nonNull(s), value, keys);
}

interface ValidationError {
  validation: ErrorObject[];
  validationContext?: string;
}

/** The PostHog error for a request Fastify's validation refused (`err.validation`: Ajv's errors). */
export function posthogValidationError(req: FastifyRequest, err: ValidationError): PhError {
  const part = (err.validationContext ?? 'body') as 'body' | 'querystring' | 'params';
  const schema = (req.routeOptions.schema?.[part] ?? {}) as Schema;
  const data = part === 'body' ? (req.body ?? {}) : part === 'querystring' ? req.query : req.params;
  const [first] = err.validation.map((e) => ({ e, segments: segmentsOf(e) })).sort((a, b) => compare(orderOf(schema, a.segments), orderOf(schema, b.segments)));
  if (!first) return phInvalid('invalid_input', 'Invalid input.', null);
  return errorAt(schema, data, first.segments, first.e);
}
