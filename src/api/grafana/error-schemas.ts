// Grafana's error bodies (errors.ts builds them), for the OpenAPI document. Each shape is closed,
// so a body that is neither of them fails the conformance test.
import { Type } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';
import type { ErrorDocs } from '../../http/face/error-docs.ts';

const closed = { additionalProperties: false };

/** A handler error: {"message"}, with the user's id where Grafana adds it. */
const Plain = Type.Object({ message: Type.String(), userId: Type.Optional(Type.Integer()) }, closed);
/** errutil: authentication failures and a few validation errors. */
const Errutil = Type.Object({ message: Type.String(), messageId: Type.String(), statusCode: Type.Integer(), traceID: Type.String() }, closed);
/** The RBAC deny body. */
const AccessDenied = Type.Object({ title: Type.String(), message: Type.String(), accessErrorId: Type.String() }, closed);
const Internal = Type.Object({ message: Type.String(), traceID: Type.String(), requestId: Type.String() }, closed);

const HandlerError = Type.Union([Plain, Errutil]);

export const grafanaErrorDocs: ErrorDocs = {
  every: {
    400: HandlerError,
    // errutil for credentials; a bare message where Grafana's handler answers 401 itself.
    401: HandlerError,
    403: Type.Union([AccessDenied, Plain]),
    404: HandlerError,
    429: Plain,
    500: Internal,
    503: Internal,
  },
  withBody: { 409: HandlerError, 413: Plain, 415: Plain },
  // Statuses a route's own `errors` table maps domain errors to (e.g. 412 for a version clash).
  fromRoute: (route: RouteOptions) => Object.fromEntries(Object.values(route.config?.errors ?? {}).map(([status]) => [status, HandlerError])),
};
