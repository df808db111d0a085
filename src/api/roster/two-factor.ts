// Two-factor authentication (TOTP) of the signed-in user, and a server admin's reset of anyone's.
// Roster's own routes: Grafana has no such API. See docs/two-factor.md.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import QRCode from 'qrcode';
import { beginEnrolment, confirmEnrolment, disableOwnTwoFactor, resetTwoFactor, twoFactorStatus } from '../../domain/two-factor.ts';
import { invalid } from '../../domain/errors.ts';
import type { FaceDeps } from '../../http/face/deps.ts';

const tags = ['roster: two-factor'];
const Code = Type.Object({ code: Type.String({ maxLength: 64, description: 'A 6-digit TOTP code (or, to turn two-factor off, a recovery code)' }) }, { additionalProperties: false });
const Status = Type.Object({
  enabled: Type.Boolean(),
  pending: Type.Boolean({ description: 'Enrolment was started and waits for its first code' }),
  recoveryCodesLeft: Type.Integer(),
  requiredBy: Type.Array(Type.Integer(), { description: 'Ids of your orgs that require two-factor authentication (PostHog enforce_2fa)' }),
  held: Type.Boolean({ description: 'Signed in with a password and not enrolled: those orgs refuse this session until you enrol' }),
});
const Done = Type.Object({ message: Type.String() });

export const twoFactorRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.get('/user/two-factor', { schema: { summary: 'Your two-factor authentication status', tags, response: { 200: Status } } }, async (req) => twoFactorStatus(ctx, req.principal));

  app.post(
    '/user/two-factor/enrolment',
    {
      schema: {
        summary: 'Start enrolment with your password: a new TOTP secret, shown this once (also as a QR code); confirm it with a code',
        tags,
        body: Type.Object({ password: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            secret: Type.String({ description: 'Base32, for typing into an authenticator app' }),
            otpauthUrl: Type.String(),
            qrCode: Type.String({ description: 'The otpauth URL as a PNG data URL' }),
          }),
        },
      },
    },
    async (req) => {
      const { secret, uri } = await beginEnrolment(ctx, req.principal, req.body.password, req.ip);
      return { secret, otpauthUrl: uri, qrCode: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }) };
    },
  );

  app.post(
    '/user/two-factor/confirm',
    {
      schema: {
        summary: 'Confirm enrolment with a code; answers the ten recovery codes, shown this once',
        tags,
        body: Code,
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) },
      },
    },
    async (req) => confirmEnrolment(ctx, req.principal, req.body.code, req.ip),
  );

  app.post(
    '/user/two-factor/disable',
    { schema: { summary: 'Turn your two-factor authentication off, with a current code or a recovery code', tags, body: Code, response: { 200: Done } } },
    async (req) => {
      await disableOwnTwoFactor(ctx, req.principal, req.body.code, req.ip);
      return { message: 'Two-factor authentication turned off' };
    },
  );

  app.delete(
    '/users/:userId/two-factor',
    {
      schema: {
        summary: "Reset a user's two-factor authentication (server admin): they sign in with their password alone and may enrol again",
        tags,
        params: Type.Object({ userId: Type.String() }),
        response: { 200: Done },
      },
    },
    async (req) => {
      if (!/^\d{1,15}$/.test(req.params.userId)) throw invalid('param.invalid', 'userId must be a user id');
      await resetTwoFactor(ctx, req.principal, Number(req.params.userId));
      return { message: 'Two-factor authentication reset' };
    },
  );
};
