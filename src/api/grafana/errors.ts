// Grafana's error bodies: {"message"} for handler errors, the RBAC deny body for missing
// permissions, errutil bodies for authentication. Routes override a code's status and message
// where Grafana answers differently per endpoint (route config `errors`).
import { randomInt } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthFailure } from '../../http/auth.ts';
import { UNAVAILABLE_MESSAGE } from '../../http/unavailable.ts';
import { STATUS_OF_KIND } from '../../http/error-status.ts';
import { sendError } from '../../http/face/error-handler.ts';
import type { ErrorRenderer, Rendered } from '../../http/face/face.ts';

/** code -> [status, message]; message undefined keeps the domain's. */
export type ErrorOverrides = Record<string, [number, string?]>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Per-route answers for domain error codes, where Grafana's endpoint answers differently. */
    errors?: ErrorOverrides;
    /** The message of this route's 400 for a body or query it cannot bind. */
    badRequest?: string;
  }
}

export function accessDenied(action: string) {
  return {
    title: 'Access denied',
    message: `You'll need additional permissions to perform this action. Permissions needed: ${action}`,
    accessErrorId: `ACE${String(randomInt(1e9, 1e10))}`,
  };
}

export function errutil(status: number, messageId: string, message: string) {
  return { message, messageId, statusCode: status, traceID: '' };
}

const AUTH_FAILURE: Record<Exclude<AuthFailure, 'cross-site'>, [string, string]> = {
  missing: ['auth.unauthorized', 'Unauthorized'],
  'bad-credentials': ['password-auth.failed', 'Invalid username or password'],
  blocked: ['login-attempt.blocked', 'Too many consecutive incorrect login attempts for user - login for user temporarily blocked'],
  'invalid-token': ['api-key.invalid', 'Invalid API key'],
  'wrong-kind': ['api-key.invalid', 'Invalid API key'],
  'expired-token': ['api-key.expired', 'Expired API key'],
  'revoked-token': ['api-key.revoked', 'Revoked API key'],
  'org-mismatch': ['api-key.organization-mismatch', 'API key does not belong to the requested organization'],
  disabled: ['identity.disabled', 'User is disabled'],
  'second-factor-required': ['auth.second-factor-required', 'This account has two-factor authentication: sign in through POST /login with the code, or use a token'],
};

/** Authentication failures: errutil 401s; Grafana's CSRF middleware answers 403 "origin not allowed" (http/csrf.ts). */
export function grafanaAuthFailure(failure: AuthFailure): Rendered {
  if (failure === 'cross-site') return { status: 403, body: { message: 'origin not allowed' } };
  const [id, message] = AUTH_FAILURE[failure];
  return { status: 401, body: errutil(401, id, message) };
}

/** Codes whose Grafana body is errutil-shaped rather than a bare message. */
const ERRUTIL_IDS: Record<string, string> = {
  'user.empty-username-and-email': 'user.empty-username-and-email',
  'user.password-mismatch': 'user.password-missmatch',
  'password.too-short': 'password-policy-too-short',
  'password.policy': 'password-policy-infringe',
};

/** A bad request: the route's `badRequest` message, else Grafana's "bad request data". */
function badRequest(req: FastifyRequest): Rendered {
  return { status: 400, body: { message: req.routeOptions.config?.badRequest ?? 'bad request data' } };
}

export const grafanaErrors: ErrorRenderer = {
  domain(err, req) {
    const overrides = req.routeOptions.config?.errors ?? {};
    const [status, message] = overrides[err.code] ?? [STATUS_OF_KIND[err.kind]];
    const text = message ?? err.message;
    if (status === 403 && err.code === 'permission-denied') return { status, body: accessDenied(String(err.detail.action)) };
    if (ERRUTIL_IDS[err.code] && message === undefined) return { status, body: errutil(status, ERRUTIL_IDS[err.code], text) };
    return { status, body: { message: text, ...pick(err.detail, 'userId') } };
  },
  validation: (_err, req) => badRequest(req),
  request(fault, _err, req) {
    if (fault === 'too-large') return { status: 413, body: { message: 'Request body too large' } };
    if (fault === 'media-type') return { status: 415, body: { message: 'Unsupported Media Type' } };
    return badRequest(req);
  },
  unavailable: grafanaUnavailable,
  internal: (req) => ({ message: 'Internal Server Error', traceID: '', requestId: req.id }),
};

/** For a route scope with an error handler of its own that falls back to the face's. */
export function sendGrafanaError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  return sendError(grafanaErrors, req, reply, err);
}

/** 503 while the database is unavailable: the shape of Grafana's 500. */
export function grafanaUnavailable(requestId: string) {
  return { message: UNAVAILABLE_MESSAGE, traceID: '', requestId };
}

function pick(obj: Record<string, unknown>, key: string) {
  return obj[key] !== undefined ? { [key]: obj[key] } : {};
}
