// Grafana binds JSON bodies with Go's encoding/json, which matches field names case-insensitively.
import type { FastifyRequest } from 'fastify';

/** Renames body keys that differ from the schema's only in case to its spelling (grafana-client sends "OrgId"). */
export function canonicalizeKeys(req: FastifyRequest) {
  const props = (req.routeOptions.schema?.body as { properties?: Record<string, unknown> } | undefined)?.properties;
  const body = req.body as Record<string, unknown> | undefined;
  if (!props || !body || typeof body !== 'object' || Array.isArray(body)) return;
  const byLower = new Map(Object.keys(props).map((k) => [k.toLowerCase(), k]));
  for (const key of Object.keys(body)) {
    const canonical = byLower.get(key.toLowerCase());
    if (canonical && canonical !== key && !(canonical in body)) {
      body[canonical] = body[key];
      delete body[key];
    }
  }
}
