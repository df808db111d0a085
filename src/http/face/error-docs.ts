// Documents a face's error bodies on each of its routes in the OpenAPI document. They are added
// to the document only (through @fastify/swagger's per-route transform), not to the route's
// serializer: an error body must reach the client exactly as the face built it, never become a
// 500 because a serializer disagreed. test/http/openapi-conformance.test.ts checks every body
// the faces send against what is documented here.
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { TSchema } from '@sinclair/typebox';

type Responses = Record<string, unknown>;

export interface ErrorDocs {
  /** Statuses any route of the face can answer (authentication, bad input, rate limit, ...). */
  every: Record<number, TSchema>;
  /** Statuses only routes that take a body can answer (body too large, wrong media type). */
  withBody?: Record<number, TSchema>;
  /** A route's own extra statuses, read from its options (e.g. Grafana's per-route `errors`). */
  fromRoute?: (route: RouteOptions) => Record<number, TSchema>;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Call first in a face plugin: every route registered after it gets the face's error bodies. */
export function documentErrors(app: FastifyInstance, docs: ErrorDocs) {
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide) return;
    const methods = [route.method].flat();
    const errors = {
      ...docs.every,
      ...(methods.some((m) => BODY_METHODS.has(m)) ? docs.withBody : {}),
      ...docs.fromRoute?.(route),
    };
    route.config = {
      ...route.config,
      swaggerTransform: ({ schema, url }: { schema?: { response?: Responses }; url: string }) => {
        const added: Responses = {};
        // A status the route documents itself keeps its own, more precise, schema.
        for (const [status, body] of Object.entries(errors)) added[status] = { description: ERROR_DESCRIPTION, ...body };
        return { schema: { ...schema, response: { ...added, ...schema?.response } }, url };
      },
    } as typeof route.config;
  });
}

const ERROR_DESCRIPTION = 'Error';
