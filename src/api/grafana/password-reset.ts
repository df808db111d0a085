// Grafana's forgot-password endpoints: ask for a mailed reset link, then set a new password with
// its code. Both open to anyone (the caller has no password to sign in with).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requestPasswordReset, resetPassword, RESET_SENT_MESSAGE } from '../../domain/password-reset.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import * as S from './schemas.ts';

const tags = ['grafana: users'];

export const passwordResetRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.post(
    '/api/user/password/send-reset-email',
    {
      schema: {
        summary: 'Mail a password reset link to the account with this login or email; the same answer whether or not it exists',
        tags,
        body: Type.Object({ userOrEmail: Type.String() }),
        response: { 200: S.Message },
      },
      // Grafana answers 412 where a feature needs SMTP and none is configured.
      config: { public: true, errors: { 'user.password-reset-needs-mail': [412] } },
    },
    async (req) => {
      await requestPasswordReset(ctx, req.body.userOrEmail, { face: 'grafana', requestId: req.id });
      return { message: RESET_SENT_MESSAGE };
    },
  );

  app.post(
    '/api/user/password/reset',
    {
      schema: {
        summary: 'Set a new password with the code of a reset mail; ends every session of the user',
        tags,
        body: Type.Object({ code: Type.String(), newPassword: Type.String(), confirmPassword: Type.String() }),
        response: { 200: S.Message },
      },
      config: { public: true, errors: { 'auth.blocked': [429] } },
    },
    async (req) => {
      await resetPassword(ctx, req.body, req.ip, { face: 'grafana', requestId: req.id });
      return { message: 'User password changed' };
    },
  );
};
