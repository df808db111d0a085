// PostHog's error bodies (errors.ts builds them), for the OpenAPI document: drf-exceptions-hog's
// {"type","code","detail","attr"}, and the bare {"detail"} of the few views that bypass it.
import { Type } from '@sinclair/typebox';
import type { ErrorDocs } from '../../http/face/error-docs.ts';

const closed = { additionalProperties: false };

const Typed = Type.Object(
  {
    type: Type.Union(['authentication_error', 'invalid_request', 'validation_error', 'throttled_error', 'server_error'].map((t) => Type.Literal(t))),
    code: Type.String(),
    detail: Type.String(),
    attr: Type.Union([Type.String(), Type.Null()]),
  },
  closed,
);
const Bare = Type.Object({ detail: Type.String() }, closed);

export const posthogErrorDocs: ErrorDocs = {
  every: { 400: Type.Union([Typed, Bare]), 401: Typed, 403: Typed, 404: Typed, 429: Typed, 500: Typed, 503: Typed },
  withBody: { 413: Typed, 415: Typed },
};
