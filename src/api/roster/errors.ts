// Roster's own error body: {"error": {"code", "message", "field"?}} with the status of the
// domain error's kind. Codes are the domain's stable codes, so clients can branch on them.
import type { AuthFailure } from '../../http/auth.ts';
import type { ErrorRenderer, Rendered } from '../../http/face/face.ts';
import { UNAVAILABLE_MESSAGE } from '../../http/unavailable.ts';
import { STATUS_OF_KIND } from '../../http/error-status.ts';

export function rosterError(code: string, message: string, field?: string) {
  return { error: { code, message, ...(field ? { field } : {}) } };
}

/** 503 while the database is unavailable. */
export const ROSTER_UNAVAILABLE = rosterError('store.unavailable', UNAVAILABLE_MESSAGE);

const AUTH_MESSAGES: Record<AuthFailure, string> = {
  missing: 'Authentication required',
  'bad-credentials': 'Invalid username or password',
  blocked: 'Too many consecutive incorrect login attempts for user - login for user temporarily blocked',
  'invalid-token': 'Invalid token',
  'wrong-kind': 'This kind of token is not accepted here',
  'expired-token': 'Token expired',
  'revoked-token': 'Token revoked',
  'org-mismatch': 'Token does not belong to the requested organization',
  disabled: 'User is disabled',
  'second-factor-required': 'This account has two-factor authentication: sign in through POST /login with the code, or use a token',
  'cross-site': 'Refused: a request with the session cookie from another site (origin not allowed)',
};

export function rosterAuthFailure(failure: AuthFailure): Rendered {
  return { status: failure === 'cross-site' ? 403 : 401, body: rosterError(`auth.${failure}`, AUTH_MESSAGES[failure]) };
}

export function rosterThrottled(wait: number): Rendered {
  return { status: 429, headers: { 'retry-after': String(wait) }, body: rosterError('rate-limited', `Too many requests; retry in ${wait} s`) };
}

export const rosterErrors: ErrorRenderer = {
  domain(err) {
    const field = typeof err.detail.field === 'string' ? err.detail.field : undefined;
    return { status: STATUS_OF_KIND[err.kind], body: rosterError(err.code, err.message, field) };
  },
  validation(err) {
    const first = err.validation[0];
    const field = first?.instancePath.replace(/^\//, '').replace(/\//g, '.') || undefined;
    return { status: 400, body: rosterError('request.invalid', err.message ?? 'Invalid request', field) };
  },
  request(fault) {
    if (fault === 'malformed-json') return { status: 400, body: rosterError('request.malformed-json', 'Malformed JSON body') };
    if (fault === 'media-type') return { status: 415, body: rosterError('request.media-type', 'Send a JSON body (application/json)') };
    if (fault === 'too-large') return { status: 413, body: rosterError('request.too-large', 'Request body too large') };
    return { status: 400, body: rosterError('request.invalid', 'Invalid request') };
  },
  unavailable: () => ROSTER_UNAVAILABLE,
  internal: (req) => rosterError('internal', `Internal server error (request ${req.id})`),
};
