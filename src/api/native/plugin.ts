// Roster's native API under /api/roster/v1/: what no product face can express. Plain REST with
// camelCase JSON and errors as {"code","message"}; Basic, session and service-account callers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../../domain/context.ts';
import { isDomainError, type DomainError } from '../../domain/errors.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Authenticator } from '../../http/auth.ts';
import { nativeInviteRoutes } from './invites.ts';
import { nativeIntegrationRoutes } from './integrations.ts';

export interface NativeOptions {
  ctx: Ctx;
  auth: Authenticator;
}

const STATUS: Record<DomainError['kind'], number> = { 'not-found': 404, conflict: 409, invalid: 400, forbidden: 403, unauthorized: 401 };

export function sendNativeError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  if (isDomainError(err)) return reply.code(STATUS[err.kind]).send({ code: err.code, message: err.message });
  const e = err as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  if (e.validation) return reply.code(400).send({ code: 'request.invalid', message: e.message ?? 'Invalid request' });
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return reply.code(e.statusCode).send({ code: 'request.invalid', message: e.message ?? 'Bad request' });
  }
  req.log.error({ err, reqId: req.id }, 'unhandled error');
  return reply.code(500).send({ code: 'internal', message: 'Internal server error', requestId: req.id });
}

export async function nativeApi(app: FastifyInstance, opts: NativeOptions) {
  app.decorateRequest('principal', null as unknown as Principal);
  app.setErrorHandler((err, req, reply) => sendNativeError(req, reply, err));
  app.addHook('onRequest', async (req, reply) => {
    const result = await opts.auth.authenticate(req, { tokens: { serviceAccount: true, personalKey: false } });
    if (!result.ok) return reply.code(401).send({ code: `auth.${result.failure}`, message: 'Unauthorized' });
    req.principal = result.principal;
  });
  await app.register(nativeInviteRoutes, opts);
  await app.register(nativeIntegrationRoutes, opts);
}
