// Grafana decodes JSON bodies with Go's encoding/json, where a null leaves the field at its zero
// value: `{"name": null}` binds exactly as `{}` does. So every Grafana body drops its null
// members before validation: an optional field that is null is absent, and a required one that
// is null fails as a missing one does, with the route's usual 400.
import type { FastifyRequest } from 'fastify';
import { MAX_JSON_DEPTH } from '../../http/json-depth.ts';

/** Removes null members from the body's objects, at every depth (array items that are objects included). */
export function dropNullFields(req: FastifyRequest): void {
  strip(req.body, 0);
}

function strip(value: unknown, depth: number): void {
  if (depth > MAX_JSON_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) strip(item, depth + 1);
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (obj[key] === null) delete obj[key];
    else strip(obj[key], depth + 1);
  }
}
