// An org's SCIM tokens (docs/scim.md): list, create (the value is answered once), revoke. Org
// Admins and server admins.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../domain/errors.ts';
import { createScimToken, listScimTokens, revokeScimToken } from '../../domain/scim-tokens.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { ErrorBody } from './schemas.ts';

const tags = ['roster: scim tokens'];
const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);

const ScimTokenOut = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  name: Type.String(),
  mask: Type.String({ description: 'The token with its secret hidden' }),
  createdBy: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});
const OrgParams = Type.Object({ orgId: Type.String({ description: 'Numeric org id' }) });
const TokenParams = Type.Object({ orgId: Type.String({ description: 'Numeric org id' }), tokenId: Type.String({ description: 'Numeric token id' }) });

const numberOf = (value: string, missing: () => Error) => {
  if (!/^\d{1,10}$/.test(value) || Number(value) > 2147483647) throw missing();
  return Number(value);
};
const orgIdOf = (value: string) => numberOf(value, () => notFound('org.not-found', 'Organization not found'));

export const scimTokenRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.get(
    '/orgs/:orgId/scim-tokens',
    { schema: { summary: "An organization's SCIM tokens, without their secrets (org Admins)", tags, params: OrgParams, response: { 200: Type.Array(ScimTokenOut), ...errors } } },
    async (req) => listScimTokens(ctx, req.principal, orgIdOf(req.params.orgId)),
  );

  app.post(
    '/orgs/:orgId/scim-tokens',
    {
      schema: {
        summary: 'Create a SCIM token for an identity provider; its value is answered once (org Admins)',
        tags,
        params: OrgParams,
        body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 190 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ token: Type.String({ description: 'Shown once' }), scimToken: ScimTokenOut }), ...errors },
      },
    },
    async (req, reply) => {
      const { token, value } = await createScimToken(ctx, req.principal, orgIdOf(req.params.orgId), { name: req.body.name });
      return reply.code(201).send({ token: value, scimToken: token });
    },
  );

  app.delete(
    '/orgs/:orgId/scim-tokens/:tokenId',
    {
      schema: {
        summary: 'Revoke a SCIM token: it is refused from then on (org Admins)',
        tags,
        params: TokenParams,
        response: { 204: Type.Unsafe<void>({ type: 'null', description: 'Revoked' }), ...errors },
      },
    },
    async (req, reply) => {
      const orgId = orgIdOf(req.params.orgId);
      await revokeScimToken(
        ctx,
        req.principal,
        orgId,
        numberOf(req.params.tokenId, () => notFound('scim-token.not-found', 'SCIM token not found')),
      );
      return reply.code(204).send();
    },
  );
};
