// Grafana's error bodies: {"message"} for handler errors, the RBAC deny body for missing
// permissions, errutil bodies for authentication. Routes override a code's status and message
// where Grafana answers differently per endpoint (route config `errors`).
import { randomInt } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import type { AuthFailure } from '../../http/auth.ts';
import { markUnavailable, UNAVAILABLE_MESSAGE } from '../../http/unavailable.ts';
import { STATUS_OF_KIND } from '../../http/error-status.ts';

/** code -> [status, message]; message undefined keeps the domain's. */
export type ErrorOverrides = Record<string, [number, string?]>;


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
};

export function sendAuthFailure(reply: FastifyReply, failure: AuthFailure) {
  // Grafana's CSRF middleware answers 403 "origin not allowed" (http/csrf.ts).
  if (failure === 'cross-site') return reply.code(403).send({ message: 'origin not allowed' });
  const [id, message] = AUTH_FAILURE[failure];
  return reply.code(401).send(errutil(401, id, message));
}

/** Codes whose Grafana body is errutil-shaped rather than a bare message. */
const ERRUTIL_IDS: Record<string, string> = {
  'user.empty-username-and-email': 'user.empty-username-and-email',
  'user.password-mismatch': 'user.password-missmatch',
  'password.too-short': 'password-policy-too-short',
  'password.policy': 'password-policy-infringe',
};

export function sendGrafanaError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  if (isDomainError(err)) {
    const overrides = (req.routeOptions.config as { errors?: ErrorOverrides } | undefined)?.errors ?? {};
    const [status, message] = overrides[err.code] ?? [STATUS_OF_KIND[err.kind]];
    const text = message ?? err.message;
    if (status === 403 && err.code === 'permission-denied') {
      return reply.code(403).send(accessDenied(String(err.detail.action)));
    }
    if (ERRUTIL_IDS[err.code] && message === undefined) {
      return reply.code(status).send(errutil(status, ERRUTIL_IDS[err.code], text));
    }
    return reply.code(status).send({ message: text, ...pick(err.detail, 'userId') });
  }
  const e = err as { statusCode?: number; code?: string; validation?: unknown };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ message: 'Request body too large' });
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send({ message: 'Unsupported Media Type' });
  if (e.validation || (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)) {
    const bad = (req.routeOptions.config as { badRequest?: string } | undefined)?.badRequest ?? 'bad request data';
    return reply.code(400).send({ message: bad });
  }
  if (markUnavailable(req, reply, err)) return reply.send(grafanaUnavailable(req.id));
  req.log.error({ err, reqId: req.id }, 'unhandled error');
  return reply.code(500).send({ message: 'Internal Server Error', traceID: '', requestId: req.id });
}

/** 503 while the database is unavailable: the shape of Grafana's 500. */
export function grafanaUnavailable(requestId: string) {
  return { message: UNAVAILABLE_MESSAGE, traceID: '', requestId };
}

function pick(obj: Record<string, unknown>, key: string) {
  return obj[key] !== undefined ? { [key]: obj[key] } : {};
}
