// What every face does first: authenticate the caller, name it on the request (with the face and
// request id, for the audit trail) and count the request against its rate limit. With a memoized
// credential and the in-process limit this is all synchronous (see ../maybe.ts).
import type { FastifyRequest } from 'fastify';
import type { AuthFailure, AuthOptions, Authenticator } from '../auth.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { then, type Maybe } from '../maybe.ts';

/** `{}`: admitted, `req.principal` is set. */
export type Admission = { failure?: AuthFailure; retryAfter?: number };

export function admit(gate: { auth: Authenticator; limiter: RateLimiter }, req: FastifyRequest, opts: AuthOptions, face: string): Maybe<Admission> {
  return then(gate.auth.authenticate(req, opts), (result) => {
    if (!result.ok) return { failure: result.failure };
    // Each request's principal is a fresh object: named in place (a spread copy cost 5 % of a
    // memoized GET /api/org).
    const principal = result.principal;
    principal.via = { face, requestId: req.id };
    req.principal = principal;
    return then(gate.limiter.hit(req.principal), (wait): Admission => (wait ? { retryAfter: wait } : {}));
  });
}
