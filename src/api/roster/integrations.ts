// Creating an org-level integration (PostHog creates them in install flows, which Roster does not have).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../domain/errors.ts';
import { UUID_PATTERN } from '../../domain/ids.ts';
import { createIntegration } from '../../domain/integrations.ts';
import type { OrgRef } from '../../domain/orgs.ts';
import type { FaceDeps } from '../../http/face/deps.ts';

const tags = ['roster: integrations'];
const Json = Type.Object({}, { additionalProperties: true });

const IntegrationOut = Type.Object({
  id: Type.String({ format: 'uuid' }),
  orgId: Type.Integer(),
  kind: Type.String(),
  integrationId: Type.Union([Type.String(), Type.Null()]),
  config: Json,
  createdBy: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** An org named by its integer id or its uuid. */
function orgRefOf(value: string): OrgRef {
  if (/^\d{1,10}$/.test(value)) return { id: Number(value) <= 2147483647 ? Number(value) : 0 };
  if (UUID_PATTERN.test(value)) return { uuid: value.toLowerCase() };
  throw notFound('org.not-found', 'Organization not found');
}

export const nativeIntegrationRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.post(
    '/orgs/:orgId/integrations',
    {
      schema: {
        summary: 'Record an org-level integration (org admins); sensitiveConfig is stored, never returned',
        tags,
        params: Type.Object({ orgId: Type.String({ description: 'Org id or uuid' }) }),
        body: Type.Object({
          kind: Type.String({ minLength: 1, maxLength: 64 }),
          integrationId: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
          config: Type.Optional(Json),
          sensitiveConfig: Type.Optional(Json),
        }),
        response: { 201: IntegrationOut },
      },
    },
    async (req, reply) => {
      const i = await createIntegration(ctx, req.principal, orgRefOf(req.params.orgId), req.body);
      return reply.code(201).send(i);
    },
  );
};
