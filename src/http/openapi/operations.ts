// The operations of the generated OpenAPI document, each with the face it belongs to. A face's
// routes are tagged "<face>: <area>" ("grafana: teams", "oncall: users"); routes outside the
// faces (the session routes, /metrics) carry a tag without a face.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document of any shape, walked by key
export type Json = Record<string, any>;

export const FACES = ['grafana', 'oncall', 'posthog', 'roster', 'scim'] as const;
export type Face = (typeof FACES)[number];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface Operation {
  /** Lower case, as in the document. */
  method: string;
  /** The document's path template, `/api/orgs/{orgId}`. */
  path: string;
  op: Json;
  face: Face | undefined;
  /** The first tag: the face's area, or the face-less group ("session"). */
  tag: string;
}

export function faceOfTag(tag: string): Face | undefined {
  const colon = tag.indexOf(': ');
  const face = colon > 0 ? tag.slice(0, colon) : '';
  return (FACES as readonly string[]).includes(face) ? (face as Face) : undefined;
}

export function operations(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = String(op.tags?.[0] ?? '');
      out.push({ method, path, op, face: faceOfTag(tag), tag });
    }
  }
  return out;
}

/** The route as Fastify registered it (`GET /api/orgs/:orgId`), from a document path. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
}
