// What the generated OpenAPI document gets besides the route schemas, applied once to the whole
// document (@fastify/swagger's transformObject) so that route files need not repeat it:
// the security schemes and each operation's `security`, an operationId on every operation,
// integer parameter types, and `servers`.
import { typeIntegerParameters } from './integer-parameters.ts';
import { operationIdOf } from './operation-ids.ts';
import { operations, routeKey, type Json } from './operations.ts';
import { SECURITY_SCHEMES, securityOf, type FaceSchemes } from './security.ts';

export interface DocumentContext {
  /** `METHOD /url` of the routes a face serves without credentials. */
  publicRoutes: ReadonlySet<string>;
  /** The `servers` entry: ROSTER_PUBLIC_URL when it was set, else "/" (wherever the document was fetched from). */
  serverUrl: string;
  /** The schemes each face admits (security.ts schemesOf). */
  faceSchemes: FaceSchemes;
}

export function finishDocument(doc: Json, context: DocumentContext): Json {
  const ids = new Map<string, string>();
  for (const o of operations(doc)) {
    const where = `${o.method.toUpperCase()} ${o.path}`;
    o.op.operationId = operationIdOf(o);
    // Two operations under one id would make generated clients drop one: refuse to serve such a document.
    const clash = ids.get(o.op.operationId);
    if (clash) throw new Error(`OpenAPI operationId ${o.op.operationId} names both ${clash} and ${where}`);
    ids.set(o.op.operationId, where);
    o.op.security = securityOf(o, context.publicRoutes.has(routeKey(o.method, o.path)), context.faceSchemes);
    typeIntegerParameters(o);
  }
  return {
    ...doc,
    servers: [{ url: context.serverUrl }],
    components: { ...doc.components, securitySchemes: SECURITY_SCHEMES },
  };
}
