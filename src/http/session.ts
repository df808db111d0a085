// Grafana's browser login: POST /login sets the session cookie, GET /logout ends it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../domain/context.ts';
import { isDomainError } from '../domain/errors.ts';
import { login, logout, SESSION_TTL_MS } from '../domain/sessions.ts';
import { documentErrors } from './error-docs.ts';
import { markUnavailable, UNAVAILABLE_MESSAGE } from './unavailable.ts';
import { parseCookie, SESSION_COOKIE, type Authenticator } from './auth.ts';

const cookie = (value: string, maxAgeSeconds: number) =>
  `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;

export const sessionRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx; auth: Authenticator }> = async (app, opts) => {
  const { ctx } = opts;
  const Message = Type.Object({ message: Type.String() }, { additionalProperties: false });
  documentErrors(app, { every: { 500: Message, 503: Message }, withBody: { 400: Message, 401: Message, 413: Message, 415: Message } });
  app.setErrorHandler((err, req, reply) => {
    if (isDomainError(err)) return reply.code(401).send({ message: err.message });
    if (markUnavailable(req, reply, err)) return reply.send({ message: UNAVAILABLE_MESSAGE });
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status < 500) return reply.code(status).send({ message: 'bad request data' });
    app.log.error(err);
    return reply.code(500).send({ message: 'Internal Server Error' });
  });

  app.post(
    '/login',
    {
      schema: {
        summary: 'Sign in with login or email and password; sets the session cookie',
        tags: ['session'],
        body: Type.Object({ user: Type.String(), password: Type.String() }),
        response: { 200: Type.Object({ message: Type.String() }) },
      },
    },
    async (req, reply) => {
      const { user, password } = req.body;
      const session = await login(ctx, user, password, req.ip);
      reply.header('set-cookie', cookie(session.token, Math.floor(SESSION_TTL_MS / 1000)));
      return { message: 'Logged in' };
    },
  );

  app.get('/logout', { schema: { summary: 'End the session and return to the login page', tags: ['session'], response: { 302: Type.Null({ description: 'Redirect to /login' }) } } }, async (req, reply) => {
    const token = parseCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await logout(ctx, token);
    reply.header('set-cookie', cookie('', 0));
    return reply.redirect('/login', 302);
  });
};
