// Roster's own error body: {"error": {"code", "message", "field"?}} with the status of the
// domain error's kind. Codes are the domain's stable codes, so clients can branch on them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import type { AuthFailure } from '../../http/auth.ts';
import { markUnavailable, UNAVAILABLE_MESSAGE } from '../../http/unavailable.ts';
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
  'cross-site': 'Refused: a request with the session cookie from another site (origin not allowed)',
};

export function sendAuthFailure(reply: FastifyReply, failure: AuthFailure) {
  return reply.code(failure === 'cross-site' ? 403 : 401).send(rosterError(`auth.${failure}`, AUTH_MESSAGES[failure]));
}

export function sendRosterError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  if (isDomainError(err)) {
    const field = typeof err.detail.field === 'string' ? err.detail.field : undefined;
    return reply.code(STATUS_OF_KIND[err.kind]).send(rosterError(err.code, err.message, field));
  }
  const e = err as { statusCode?: number; code?: string; message?: string; validation?: { instancePath: string; message?: string }[] };
  if (e.validation) {
    const first = e.validation[0];
    const field = first?.instancePath.replace(/^\//, '').replace(/\//g, '.') || undefined;
    return reply.code(400).send(rosterError('request.invalid', e.message ?? 'Invalid request', field));
  }
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return reply.code(400).send(rosterError('request.malformed-json', 'Malformed JSON body'));
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send(rosterError('request.media-type', 'Send a JSON body (application/json)'));
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(rosterError('request.too-large', 'Request body too large'));
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return reply.code(400).send(rosterError('request.invalid', 'Invalid request'));
  if (markUnavailable(req, reply, err)) return reply.send(ROSTER_UNAVAILABLE);
  req.log.error({ err, reqId: req.id }, 'unhandled error');
  return reply.code(500).send(rosterError('internal', `Internal server error (request ${req.id})`));
}
