// DRF-style error bodies (docs/compat/oncall.md#errors-and-throttling): {"detail": "..."} and
// {field: [messages]}. There is no 401 on this face: every authentication failure is 403
// "Invalid token." without WWW-Authenticate.
import type { FastifyRequest } from 'fastify';
import type { AuthFailure } from '../../http/auth.ts';
import type { ErrorRenderer, Rendered } from '../../http/face/face.ts';
import { throttledMessage } from '../../http/rate-limit.ts';
import { UNAVAILABLE_MESSAGE } from '../../http/unavailable.ts';

export const INVALID_TOKEN = { detail: 'Invalid token.' };
export const NO_PERMISSION = { detail: 'You do not have permission to perform this action.' };
export const NOT_FOUND = { detail: 'Not found.' };
/** DRF's ServiceUnavailable (503), while the database is unavailable. */
export const UNAVAILABLE = { detail: UNAVAILABLE_MESSAGE };
export const SERVICE_ACCOUNT_HAS_NO_USER = { detail: 'This endpoint is only available for users, not service accounts.' };

/** An error whose DRF status and body the face decides itself (filter and body validation). */
export class DrfError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(JSON.stringify(body));
  }
}

export const methodNotAllowed = (method: string) => new DrfError(405, { detail: `Method "${method}" not allowed.` });

/** Python's type names, as DRF's "Expected a dictionary, but got list." quotes them. */
function pyType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

/** Body schema failures in DRF's words; only flat objects of booleans are accepted on this face. */
function validationBody(req: FastifyRequest, err: { validation: { instancePath: string }[] }) {
  const first = err.validation[0];
  const field = first?.instancePath.replace(/^\//, '').split('/')[0];
  if (!field) return { non_field_errors: [`Invalid data. Expected a dictionary, but got ${pyType(req.body)}.`] };
  return { [field]: ['Must be a valid boolean.'] };
}

export const oncallErrors: ErrorRenderer = {
  own: (err) => (err instanceof DrfError ? { status: err.status, body: err.body } : undefined),
  domain(err) {
    if (err.kind === 'not-found') return { status: 404, body: NOT_FOUND };
    if (err.kind === 'forbidden' && err.code === 'user-only') return { status: 403, body: SERVICE_ACCOUNT_HAS_NO_USER };
    if (err.kind === 'forbidden' || err.kind === 'unauthorized') return { status: 403, body: NO_PERMISSION };
    const field = typeof err.detail.field === 'string' ? err.detail.field : 'non_field_errors';
    return { status: 400, body: { [field]: [err.message] } };
  },
  validation: (err, req) => ({ status: 400, body: validationBody(req, err) }),
  request(fault, err, req) {
    if (fault === 'malformed-json') return { status: 400, body: { detail: `JSON parse error - ${err.message}` } };
    if (fault === 'media-type') return { status: 415, body: { detail: `Unsupported media type "${req.headers['content-type'] ?? ''}" in request.` } };
    if (fault === 'too-large') return { status: 413, body: { detail: 'Request body too large.' } };
    return { status: 400, body: { detail: 'Malformed request.' } };
  },
  unavailable: () => UNAVAILABLE,
  internal: () => ({ detail: 'A server error occurred.' }),
};

/**
 * Authentication failures: there is no 401 on this face, every one is 403 "Invalid token."; a
 * cross-site write with the session cookie gets DRF's CSRF wording (http/csrf.ts).
 */
export function oncallAuthFailure(failure: AuthFailure): Rendered {
  if (failure === 'cross-site') return { status: 403, body: { detail: 'CSRF Failed: Origin checking failed - does not match any trusted origins.' } };
  return { status: 403, body: INVALID_TOKEN };
}

/** DRF's throttle body, Retry-After and RateLimit-Reset (docs/compat/oncall.md#errors-and-throttling). */
export function oncallThrottled(wait: number): Rendered {
  return { status: 429, headers: { 'retry-after': String(wait), 'ratelimit-reset': String(wait) }, body: { detail: throttledMessage(wait) } };
}
