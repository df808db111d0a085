// The PostHog face's schema validator: Ajv, after the input coercions Django REST Framework's fields
// make (docs/compat/posthog.md#validation-errors), which Ajv's own coerceTypes does not match
// (it turns null into false and knows neither "yes" nor "on"). validation-errors.ts words a refusal.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/** Schema annotation: the code and text of a refusal PostHog's view words itself (keyed by the Ajv keyword that fails). */
export const DRF_MESSAGES = 'x-drf-messages';

// Django's EmailValidator, close enough: one "@", a dot-free-at-the-ends local part, a dotted domain.
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

// No meta-schema check, as for the other faces' routes (server.ts says why); strict mode stays.
const ajv = new Ajv({ allErrors: true, coerceTypes: false, useDefaults: false, removeAdditional: false, strict: true, validateSchema: false });
addFormats.default(ajv);
ajv.addFormat('email', EMAIL);
ajv.addKeyword({ keyword: DRF_MESSAGES, schemaType: 'object' });

// BooleanField's accepted spellings.
const TRUE = new Set(['t', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1']);
const FALSE = new Set(['f', 'F', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '0']);
const INTEGER = /^\s*[+-]?\d+\s*$/;

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  format?: string;
  [DRF_MESSAGES]?: Record<string, [code: string, detail: string]>;
}

/** The schema of a field's non-null values (a nullable field is anyOf [T, null]). */
export function nonNull(schema: Schema): Schema {
  const branches = schema.anyOf?.filter((s) => s.type !== 'null');
  return branches?.length === 1 ? branches[0] : schema;
}

export const isNullable = (schema: Schema) => !!schema.anyOf?.some((s) => s.type === 'null');

/** A ChoiceField: anyOf literal values. */
export const choicesOf = (schema: Schema): unknown[] | undefined => (schema.anyOf?.every((s) => 'const' in s) ? schema.anyOf.map((s) => s.const) : undefined);

function asInteger(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && INTEGER.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * A value as the field would take it: CharField trims, BooleanField and IntegerField take their
 * string spellings, ChoiceField matches on str(value) ("8" is the choice 8). Anything else is
 * left for Ajv to refuse. List items are not trimmed, as Roster has always taken them.
 */
function coerce(schema: Schema, value: unknown, inList = false): unknown {
  if (value === null || value === undefined) return value;
  const s = nonNull(schema);
  const choices = choicesOf(s);
  if (choices) {
    const hit = typeof value === 'string' || typeof value === 'number' ? choices.find((c) => String(c) === String(value)) : undefined;
    return hit === undefined ? value : hit;
  }
  switch (s.type) {
    case 'string':
      return typeof value === 'string' && !inList ? value.trim() : value;
    case 'boolean':
      if (value === 1 || (typeof value === 'string' && TRUE.has(value))) return true;
      if (value === 0 || (typeof value === 'string' && FALSE.has(value))) return false;
      return value;
    case 'integer':
      return typeof value === 'boolean' ? value : (asInteger(value) ?? value);
    case 'array':
      return Array.isArray(value) ? value.map((item) => coerce(s.items ?? {}, item, true)) : value;
    case 'object':
      if (typeof value === 'object' && !Array.isArray(value)) {
        const obj = value as Record<string, unknown>;
        for (const [key, field] of Object.entries(s.properties ?? {})) {
          if (obj[key] !== undefined) obj[key] = coerce(field, obj[key]);
        }
      }
      return value;
    default:
      return value;
  }
}

/**
 * A query string as Django's QueryDict reads it: a repeated key is its last value, and an integer
 * parameter that is not an integer is ignored, as DRF's LimitOffsetPagination ignores a bad limit
 * or offset (the only integer parameters of PostHog's list routes).
 */
function coerceQuery(schema: Schema, query: Record<string, unknown>): void {
  for (const [key, field] of Object.entries(schema.properties ?? {})) {
    let v = query[key];
    if (v === undefined) continue;
    if (Array.isArray(v) && nonNull(field).type !== 'array') v = v[v.length - 1];
    if (nonNull(field).type === 'integer') {
      const n = asInteger(v);
      if (n === undefined) delete query[key];
      else query[key] = n;
    } else {
      query[key] = v;
    }
  }
}

export const drfValidatorCompiler: FastifySchemaCompiler<Schema> = ({ schema, httpPart }) => {
  const validate: ValidateFunction = ajv.compile(schema);
  if (httpPart === 'querystring') {
    return (query: unknown) => {
      if (query && typeof query === 'object') coerceQuery(schema, query as Record<string, unknown>);
      return validate(query) ? { value: query } : { error: validationError(validate) };
    };
  }
  return (data: unknown) => {
    // DRF reads a missing (or JSON null) body as an empty dictionary.
    const value = httpPart === 'body' ? coerce(schema, data ?? (nonNull(schema).type === 'object' ? {} : data)) : data;
    return validate(value) ? { value } : { error: validationError(validate) };
  };
};

function validationError(validate: ValidateFunction): Error {
  return Object.assign(new Error('validation failed'), { validation: validate.errors ?? [] });
}
