// The one place a face asks "is this failure the database being unavailable?": if so the reply
// becomes 503 with Retry-After, and the face sends its own body (docs/faults.md).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { unavailableRetryAfter } from '../store/unavailable.ts';

/** The message every face puts in its own error body. */
export const UNAVAILABLE_MESSAGE = 'Service temporarily unavailable, try again later.';

/**
 * When `err` means the store cannot serve now: sets 503 and Retry-After on `reply`, logs one
 * line (not a stack: an outage would repeat it per request) and returns true.
 */
export function markUnavailable(req: FastifyRequest, reply: FastifyReply, err: unknown): boolean {
  const retryAfter = unavailableRetryAfter(err);
  if (retryAfter === undefined) return false;
  req.log.warn({ cause: (err as Error).message }, 'database unavailable; answered 503');
  reply.header('retry-after', String(retryAfter));
  reply.code(503);
  return true;
}
