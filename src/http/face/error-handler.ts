// The error handler every face shares: it sorts an error (the face's own, a domain error, a
// schema failure, a request Fastify refused, the database being unavailable, anything else) and
// lets the face's renderer (face.ts) word the answer.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import { markUnavailable } from '../unavailable.ts';
import type { ErrorRenderer, Rendered, RequestFault, ValidationError } from './face.ts';

const FAULT_OF_CODE = new Map<string | undefined, RequestFault>([
  ['FST_ERR_CTP_INVALID_JSON_BODY', 'malformed-json'],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'media-type'],
  ['FST_ERR_CTP_BODY_TOO_LARGE', 'too-large'],
]);

export function send(reply: FastifyReply, r: Rendered): FastifyReply {
  reply.code(r.status);
  if (r.headers) reply.headers(r.headers);
  return reply.send(r.body);
}

/** Answers `err` in the words of `errors`. */
export function sendError(errors: ErrorRenderer, req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const own = errors.own?.(err, req);
  if (own) return send(reply, own);
  if (isDomainError(err)) return send(reply, errors.domain(err, req));
  const e = err as FastifyError;
  if (e.validation) return send(reply, errors.validation(e as ValidationError, req));
  const fault = FAULT_OF_CODE.get(e.code) ?? (e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? 'bad-request' : undefined);
  if (fault) return send(reply, errors.request(fault, e, req));
  if (markUnavailable(req, reply, err)) return reply.send(errors.unavailable(req.id));
  req.log.error({ err, reqId: req.id }, 'unhandled error');
  return reply.code(500).send(errors.internal(req));
}
