// Grafana's browser login: POST /login sets the session cookie, GET /logout ends it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../domain/context.ts';
import { NO_CONTROL_PATTERN } from '../domain/text.ts';
import { login, logout } from '../domain/sessions.ts';
import { documentErrors } from './face/error-docs.ts';
import { sendError } from './face/error-handler.ts';
import type { ErrorRenderer } from './face/face.ts';
import { UNAVAILABLE_MESSAGE } from './unavailable.ts';
import { SESSION_COOKIE, setSessionCookie } from './session-cookie.ts';

/** No control characters (NUL included) in a sign-in: a 400 before anything is looked up. */
const Typed = Type.String({ pattern: NO_CONTROL_PATTERN });

const BAD_REQUEST = { message: 'bad request data' };

/** Grafana's login answers: a refused sign-in is 401 with its message, bad input keeps Fastify's 4xx. */
const sessionErrors: ErrorRenderer = {
  // The two-factor answers also name themselves (messageId), so a client can ask for the code.
  domain: (err) => ({ status: 401, body: err.code.startsWith('auth.second-factor') ? { message: err.message, messageId: err.code } : { message: err.message } }),
  validation: (err) => ({ status: err.statusCode ?? 400, body: BAD_REQUEST }),
  request: (_fault, err) => ({ status: err.statusCode ?? 400, body: BAD_REQUEST }),
  unavailable: () => ({ message: UNAVAILABLE_MESSAGE }),
  internal: () => ({ message: 'Internal Server Error' }),
};

export const sessionRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx; publicUrl: string }> = async (app, opts) => {
  const { ctx } = opts;
  const Message = Type.Object({ message: Type.String() }, { additionalProperties: false });
  const Refusal = Type.Object(
    { message: Type.String(), messageId: Type.Optional(Type.String({ description: 'auth.second-factor-required or auth.second-factor-invalid' })) },
    { additionalProperties: false },
  );
  documentErrors(app, { every: { 500: Message, 503: Message }, withBody: { 400: Message, 401: Refusal, 413: Message, 415: Message } });
  app.setErrorHandler((err, req, reply) => sendError(sessionErrors, req, reply, err));

  app.post(
    '/login',
    {
      schema: {
        summary: 'Sign in with login or email and password (and, for an account with two-factor authentication, its code as otp); sets the session cookie',
        tags: ['session'],
        body: Type.Object({ user: Typed, password: Typed, otp: Type.Optional(Type.String({ maxLength: 64, description: 'A TOTP code or a recovery code' })) }),
        response: { 200: Type.Object({ message: Type.String() }) },
      },
    },
    async (req, reply) => {
      const { user, password, otp } = req.body;
      const session = await login(ctx, user, password, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null }, otp, { face: 'session', requestId: req.id });
      setSessionCookie(req, reply, opts.publicUrl, session.token, session.maxAgeSeconds);
      return { message: 'Logged in' };
    },
  );

  app.get(
    '/logout',
    { schema: { summary: 'End the session and return to the login page', tags: ['session'], response: { 302: Type.Null({ description: 'Redirect to /login' }) } } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await logout(ctx, token);
      setSessionCookie(req, reply, opts.publicUrl, '', 0);
      return reply.redirect('/login', 302);
    },
  );
};
