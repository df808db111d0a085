// SCIM filters (RFC 7644 §3.4.2.2), parsed by `scim2-parse-filter`. A filter an index can answer
// (`userName eq`, `emails.value eq`, `externalId eq`, `id eq`, a group's `displayName eq`), alone
// or as one side of an `and`, becomes a lookup; the whole filter is then applied in memory to what
// the lookup found, or to the org's resources when no index fits. Strings compare ignoring case,
// except the case-exact `id` and `externalId`.
import { filter as compile, parse, type Filter } from 'scim2-parse-filter';
import { badRequest } from './errors.ts';

const CASE_EXACT = new Set(['id', 'externalid']);

/** Attribute paths compared as written, without a schema URN. */
function attributePath(path: string): string {
  const colon = path.lastIndexOf(':');
  return (colon >= 0 ? path.slice(colon + 1) : path).toLowerCase();
}

export function parseFilter(text: string): Filter {
  let f: Filter;
  try {
    f = parse(text);
  } catch (err) {
    throw badRequest('invalidFilter', `Malformed filter: ${(err as Error).message}`);
  }
  return fold(f);
}

/** Lower-cases the compared values of case-insensitive attributes (the resources are folded the same way). */
function fold(f: Filter): Filter {
  switch (f.op) {
    case 'and':
    case 'or':
      return { ...f, filters: (f as { filters: Filter[] }).filters.map(fold) } as Filter;
    case 'not':
      return { ...f, filter: fold((f as { filter: Filter }).filter) } as Filter;
    case '[]':
      return { ...f, valFilter: fold((f as { valFilter: Filter }).valFilter) } as Filter;
    case 'pr':
      return f;
    default: {
      const c = f as Filter & { attrPath: string; compValue: unknown };
      return CASE_EXACT.has(attributePath(c.attrPath)) || typeof c.compValue !== 'string' ? f : ({ ...c, compValue: c.compValue.toLowerCase() } as Filter);
    }
  }
}

/** A resource with every string lower-cased but its case-exact attributes, for the folded filter. */
function foldResource(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return CASE_EXACT.has(key.toLowerCase()) ? value : value.toLowerCase();
  if (Array.isArray(value)) return value.map((v) => foldResource(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, foldResource(v, k)]));
  return value;
}

export function matcher(f: Filter): (resource: Record<string, unknown>) => boolean {
  const test = compile(f);
  return (resource) => test(foldResource(resource));
}

/** An attribute the filter requires to equal a string, if any (`path` lower-case, without URN). */
export function equalityOn(f: Filter, paths: string[]): { path: string; value: string } | undefined {
  if (f.op === 'eq') {
    const c = f as Filter & { attrPath: string; compValue: unknown };
    const path = attributePath(c.attrPath);
    return paths.includes(path) && typeof c.compValue === 'string' ? { path, value: c.compValue } : undefined;
  }
  if (f.op === '[]') {
    const v = f as Filter & { attrPath: string; valFilter: Filter };
    const inner = equalityOn(v.valFilter, ['value']);
    const path = `${attributePath(v.attrPath)}.value`;
    return inner && paths.includes(path) ? { path, value: inner.value } : undefined;
  }
  if (f.op === 'and') {
    for (const part of (f as { filters: Filter[] }).filters) {
      const hit = equalityOn(part, paths);
      if (hit) return hit;
    }
  }
  return undefined;
}
