// The one place a face asks "is this failure the database being unavailable?": if so the reply
// becomes 503 with Retry-After, and the face sends its own body (docs/faults.md).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { unavailableRetryAfter } from '../store/unavailable.ts';

/** At most one log line per this many ms: an outage fails every request, and logs should not drown. */
const LOG_EVERY_MS = 5000;
let lastLogged = 0;
let unlogged = 0;

function logThrottled(req: FastifyRequest, cause: string) {
  const now = Date.now();
  if (now - lastLogged < LOG_EVERY_MS) return void unlogged++;
  req.log.warn({ cause, alsoUnavailableSinceLastLine: unlogged }, 'database unavailable; answered 503');
  lastLogged = now;
  unlogged = 0;
}

/** The message every face puts in its own error body. */
export const UNAVAILABLE_MESSAGE = 'Service temporarily unavailable, try again later.';

/**
 * When `err` means the store cannot serve now: sets 503 and Retry-After on `reply`, logs (one
 * line now and then, no stack) and returns true.
 */
export function markUnavailable(req: FastifyRequest, reply: FastifyReply, err: unknown): boolean {
  const retryAfter = unavailableRetryAfter(err);
  if (retryAfter === undefined) return false;
  logThrottled(req, (err as Error).message);
  reply.header('retry-after', String(retryAfter));
  reply.code(503);
  return true;
}
