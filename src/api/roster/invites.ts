// Accepting an invitation: the signed-in user whose verified email it names, holding its code,
// joins the org with its role.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { acceptInvite } from '../../domain/invites.ts';
import { posthogLevel, ROLES } from '../../domain/policy/index.ts';
import type { FaceDeps } from '../../http/face/deps.ts';

const tags = ['roster: invites'];

const Accepted = Type.Object({
  orgId: Type.Integer(),
  orgUuid: Type.String({ format: 'uuid' }),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  isOwner: Type.Boolean(),
  level: Type.Integer({ description: 'The PostHog membership level (1, 8, 15)' }),
});

export const nativeInviteRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.post(
    '/invites/:id/accept',
    {
      schema: {
        summary: 'Accept an invitation addressed to your verified email, with its code (mailed, or passed on by the inviter); you join with its role',
        description:
          'An unknown invite and a wrong or missing code both answer 404. With the right code: 403 when the invite names another address or yours is not verified, 400 when it has expired. A code works once.',
        tags,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Optional(Type.Object({ code: Type.Optional(Type.String({ maxLength: 200, description: 'The invite code' })) })),
        response: { 200: Accepted },
      },
    },
    async (req) => {
      const r = await acceptInvite(ctx, req.principal, req.params.id.toLowerCase(), req.body?.code);
      return { orgId: r.orgId, orgUuid: r.orgUuid, role: r.role, isOwner: r.isOwner, level: posthogLevel(r.role, r.isOwner) };
    },
  );
};
