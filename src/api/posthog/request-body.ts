// PostHog's views check who may act before they read the body, so a body the schema refused is
// raised where the handler reads it (the face's routes with a body attach their validation result).
import type { FastifyRequest } from 'fastify';

/** The validated body; the schema's refusal (or the query's, or the path's) is thrown here. */
export function validBody<T>(req: Pick<FastifyRequest, 'validationError'> & { body: T }): T {
  if (req.validationError) throw req.validationError;
  return req.body;
}
