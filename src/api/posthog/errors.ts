// PostHog's error body {"type","code","detail","attr"} (drf-exceptions-hog), one error per
// response. Domain errors are translated here; a few PostHog views answer a bare {"detail"}.
import type { DomainError } from '../../domain/errors.ts';
import type { AuthFailure } from '../../http/auth.ts';
import type { Rendered } from '../../http/face/face.ts';
import { throttledMessage } from '../../http/rate-limit.ts';
import { UNAVAILABLE_MESSAGE } from '../../http/unavailable.ts';

export type ErrorType = 'authentication_error' | 'invalid_request' | 'validation_error' | 'throttled_error' | 'server_error';

export class PhError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: string,
    readonly detail: string,
    readonly attr: string | null = null,
  ) {
    super(detail);
  }
  body() {
    return { type: this.type, code: this.code, detail: this.detail, attr: this.attr };
  }
}

/** A view that bypasses the handler and answers {"detail": ...} only. */
export class PhRawError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export const GENERIC_FORBIDDEN = 'You do not have permission to perform this action.';

export const phNotFound = (detail = 'Not found.') => new PhError(404, 'invalid_request', 'not_found', detail);
export const phForbidden = (detail = GENERIC_FORBIDDEN) => new PhError(403, 'authentication_error', 'permission_denied', detail);
export const phInvalid = (code: string, detail: string, attr: string | null) => new PhError(400, 'validation_error', code, detail, attr);
export const phMethodNotAllowed = (method: string) => new PhError(405, 'invalid_request', 'method_not_allowed', `Method "${method}" not allowed.`);

/** DRF's ServiceUnavailable as drf-exceptions-hog renders a 5xx: type server_error. */
export const POSTHOG_UNAVAILABLE = { type: 'server_error', code: 'service_unavailable', detail: UNAVAILABLE_MESSAGE, attr: null };

const KEY_INVALID = 'Personal API key found in request Authorization header is invalid.';

/** 401 bodies; `source` says where a personal key was read from ("Authorization header", "body", "query string"). */
export function authError(failure: AuthFailure, bearer: boolean, source = 'Authorization header'): PhError {
  // Django's CSRF check answers 403 with this text.
  if (failure === 'cross-site') return new PhError(403, 'authentication_error', 'permission_denied', 'CSRF Failed: Origin checking failed - does not match any trusted origins.');
  if (failure === 'missing') return new PhError(401, 'authentication_error', 'not_authenticated', 'Authentication credentials were not provided.');
  if (bearer) return new PhError(401, 'authentication_error', 'authentication_failed', KEY_INVALID.replace('Authorization header', source));
  if (failure === 'disabled') return new PhError(401, 'authentication_error', 'authentication_failed', 'User inactive or deleted.');
  if (failure === 'second-factor-required') return new PhError(401, 'authentication_error', '2fa_required', '2FA is required: use a personal API key, or sign in with the code.');
  return new PhError(401, 'authentication_error', 'authentication_failed', 'Invalid username/password.');
}

/** Domain codes whose PostHog answer differs from the default for their kind. */
const BY_CODE: Record<string, (e: DomainError) => PhError | PhRawError> = {
  'org.name-taken': () => phInvalid('unique', 'organization with this name already exists.', 'name'),
  'org.name-required': () => phInvalid('required', 'This field is required.', 'name'),
  'org.not-found': () => phNotFound(),
  'posthog.org-not-found': (e) => phNotFound(e.message),
  'posthog.current-org-not-found': (e) => phNotFound(e.message),
  // An organization_id no id can be (http/id-range.ts), answered as the nested routes answer an unknown org.
  'org.id-unknown': () => phNotFound('Organization not found.'),
  'orgs:create': () => phForbidden(),
  // DRF's PermissionDenied, with the quota the creation would pass (domain/quotas.ts).
  'quota.reached': (e) => phForbidden(e.message),
  'permission-denied': () => phForbidden(),
  'role.exists': () => phInvalid('unique', 'There is already a role with this name.', 'name'),
  'role.escalation': (e) => phForbidden(e.message),
  'invite.already-member': (e) => phInvalid('invalid_input', e.message, null),
  'pak.no-scopes': () => phInvalid('empty', 'This list may not be empty.', 'scopes'),
  'member.exists': () => phInvalid('invalid_input', 'A user with this email address already belongs to the organization.', null),
  'integration.not-connectable': (e) => new PhRawError(400, e.message),
  'integration.foreign-project': (e) => new PhRawError(400, e.message),
  // DRF's CharField(max_length) answer, for the limits of domain/limits.ts.
  'input.too-long': (e) => phInvalid('max_length', `Ensure this field has no more than ${String(e.detail.max)} characters.`, typeof e.detail.attr === 'string' ? e.detail.attr : null),
};

export function translate(err: DomainError): PhError | PhRawError {
  const special = BY_CODE[err.code];
  if (special) return special(err);
  const attr = typeof err.detail.attr === 'string' ? err.detail.attr : null;
  switch (err.kind) {
    case 'not-found':
      return phNotFound();
    case 'forbidden':
      return phForbidden(err.message);
    case 'unauthorized':
      return new PhError(401, 'authentication_error', 'authentication_failed', err.message);
    default:
      return phInvalid('invalid_input', err.message, attr);
  }
}

/** A PostHog error as it goes out: 401s name the scheme PostHog expects (WWW-Authenticate). */
export function rendered(e: PhError | PhRawError): Rendered {
  if (e instanceof PhRawError) return { status: e.status, body: { detail: e.detail } };
  return { status: e.status, body: e.body(), ...(e.status === 401 ? { headers: { 'www-authenticate': 'Bearer realm="api"' } } : {}) };
}

/** DRF's throttle answer, with Retry-After. */
export function posthogThrottled(wait: number): Rendered {
  return { ...rendered(new PhError(429, 'throttled_error', 'throttled', throttledMessage(wait))), headers: { 'retry-after': String(wait) } };
}
