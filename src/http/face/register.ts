// Turns a face's declaration (face.ts) into its Fastify plumbing: the principal on each request,
// the admission hook, the error handler and the error documentation. Call first in the face's
// plugin, before its routes.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Principal } from '../../domain/principal.ts';
import { settle } from '../maybe.ts';
import { admit } from './admission.ts';
import type { FaceDeps } from './deps.ts';
import { documentErrors } from './error-docs.ts';
import { send, sendError } from './error-handler.ts';
import type { Face } from './face.ts';
import { setSessionCookie } from '../session-cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The admitted caller; set by the admission hook on every route the face does not leave open. */
    principal: Principal;
  }
}

export function registerFace(app: FastifyInstance, deps: Pick<FaceDeps, 'auth' | 'limiter' | 'publicUrl'>, face: Face): void {
  documentErrors(app, face.errorDocs);
  app.decorateRequest('principal', null as unknown as Principal);
  app.setErrorHandler((err, req, reply) => sendError(face.errors, req, reply, err));

  const { credentials, open, prepare, authFailure, throttled } = face.admission;
  // Callback-style: a memoized caller is admitted without a promise (http/maybe.ts).
  const admission = (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (open?.(req)) return done();
    prepare?.(req);
    settle(
      admit(deps, req, credentials, face.name),
      (a) => {
        // The session's token was rotated by this request: the browser keeps the new one.
        if (req.rotatedSession) setSessionCookie(req, reply, deps.publicUrl, req.rotatedSession.token, req.rotatedSession.maxAgeSeconds);
        if (a.failure) return void send(reply, authFailure(a.failure, req));
        if (a.retryAfter) return void send(reply, throttled(a.retryAfter, req));
        done();
      },
      done,
    );
  };
  if (face.admission.after === 'body') app.addHook('preValidation', admission);
  else app.addHook('onRequest', admission);
}
