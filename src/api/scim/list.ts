// List responses (RFC 7644 §3.4.2): 1-based `startIndex`, `count` (at most MAX_COUNT), and the
// `attributes`/`excludedAttributes` projection every read takes.
import type { Resource } from './resources.ts';

export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const MAX_COUNT = 1000;

export interface Paging {
  /** 0-based. */
  offset: number;
  limit: number;
}

function intOf(value: string | undefined, fallback: number): number {
  const n = value === undefined || value.trim() === '' ? NaN : Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

/** A startIndex below 1 is 1 and a negative count is 0 (RFC 7644 §3.4.2.4). */
export function pagingOf(q: { startIndex?: string; count?: string }): Paging {
  return { offset: Math.max(1, intOf(q.startIndex, 1)) - 1, limit: Math.min(MAX_COUNT, Math.max(0, intOf(q.count, 100))) };
}

export function listResponse(total: number, paging: Paging, resources: Record<string, unknown>[]) {
  return { schemas: [LIST_SCHEMA], totalResults: total, startIndex: paging.offset + 1, itemsPerPage: resources.length, Resources: resources };
}

/** The page `paging` asks for of every matching resource, each projected (`project`). */
export function pageOf(all: Resource[], paging: Paging, schema: string, q: { attributes?: string; excludedAttributes?: string }) {
  return listResponse(
    all.length,
    paging,
    all.slice(paging.offset, paging.offset + paging.limit).map((r) => project(r, schema, q)),
  );
}

const names = (list: string | undefined, schema: string) =>
  (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.toLowerCase().startsWith(`${schema.toLowerCase()}:`) ? s.slice(schema.length + 1) : s).toLowerCase());

/** `id`, `schemas` and `meta` are always returned; sub-attributes (`name.givenName`) select inside a complex attribute. */
const ALWAYS = new Set(['id', 'schemas', 'meta']);

export function project(resource: Resource, schema: string, q: { attributes?: string; excludedAttributes?: string }): Record<string, unknown> {
  const only = names(q.attributes, schema);
  const excluded = names(q.excludedAttributes, schema);
  if (!only.length && !excluded.length) return resource;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    const k = key.toLowerCase();
    if (ALWAYS.has(k)) {
      out[key] = value;
      continue;
    }
    if (only.length) {
      if (only.includes(k)) out[key] = value;
      else {
        const subs = only.filter((a) => a.startsWith(`${k}.`)).map((a) => a.slice(k.length + 1));
        if (subs.length) out[key] = pick(value, subs);
      }
    } else if (!excluded.includes(k)) {
      out[key] = value;
    }
  }
  return out;
}

function pick(value: unknown, subs: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => pick(v, subs));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => subs.includes(k.toLowerCase())));
}
