// Accepting an invitation: the signed-in user whose email it names joins the org with its role.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { acceptInvite } from '../../domain/invites.ts';
import { findOrg } from '../../domain/orgs.ts';
import { posthogLevel, ROLES } from '../../domain/roles.ts';
import type { RosterApiOptions } from './plugin.ts';

const tags = ['roster: invites'];

const Accepted = Type.Object({
  orgId: Type.Integer(),
  orgUuid: Type.String({ format: 'uuid' }),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  isOwner: Type.Boolean(),
  level: Type.Integer({ description: 'The PostHog membership level (1, 8, 15)' }),
});

export const nativeInviteRoutes: FastifyPluginAsyncTypebox<RosterApiOptions> = async (app, { ctx }) => {
  app.post(
    '/invites/:id/accept',
    {
      schema: {
        summary: 'Accept an invitation addressed to your email; you join with its role',
        tags,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Accepted },
      },
    },
    async (req) => {
      const r = await acceptInvite(ctx, req.principal, req.params.id.toLowerCase());
      const org = (await findOrg(ctx.db, r.orgId))!;
      return { orgId: r.orgId, orgUuid: org.uuid, role: r.role, isOwner: r.isOwner, level: posthogLevel(r.role, r.isOwner) };
    },
  );
};
