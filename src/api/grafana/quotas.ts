// Quotas: /api/org/quotas, /api/orgs/:orgId/quotas[/:target], /api/admin/users/:id/quotas[/:target],
// /api/user/quotas (Grafana's pkg/api/quota.go; the rules are domain/quotas.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listOrgQuotas, listUserQuotas, setOrgQuota, setUserQuota, type QuotaView } from '../../domain/quotas.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import * as S from './schemas.ts';
import { intParam } from './params.ts';
import { pathOrgId } from './resolve.ts';

const tags = ['grafana: quotas'];

/** Grafana's QuotaDTO: org_id or user_id (the other omitted), target, limit, used. */
const OrgQuota = Type.Object({ org_id: Type.Integer(), target: Type.String(), limit: Type.Integer(), used: Type.Integer() });
const UserQuota = Type.Object({ user_id: Type.Integer(), target: Type.String(), limit: Type.Integer(), used: Type.Integer() });

/** Grafana's UpdateQuotaCmd; its `target` is overwritten by the path's. */
const UpdateQuotaBody = Type.Object({ limit: Type.Integer(), target: Type.Optional(Type.String()) });
const OrgTargetParams = Type.Object({ orgId: Type.String(), target: Type.String() });
const UserTargetParams = Type.Object({ id: Type.String(), target: Type.String() });

const orgDto = (orgId: number) => (q: QuotaView) => ({ org_id: orgId, target: q.target, limit: q.limit, used: q.used });
const userDto = (userId: number) => (q: QuotaView) => ({ user_id: userId, target: q.target, limit: q.limit, used: q.used });

export const quotaRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.get('/api/org/quotas', { schema: { summary: "The current org's quotas with their usage", tags, response: { 200: Type.Array(OrgQuota) } } }, async (req) => {
    const orgId = req.principal.orgId;
    return (await listOrgQuotas(ctx, req.principal, orgId)).map(orgDto(orgId));
  });

  app.get('/api/orgs/:orgId/quotas', { schema: { summary: "An org's quotas with their usage", tags, params: S.OrgIdParam, response: { 200: Type.Array(OrgQuota) } } }, async (req) => {
    const orgId = pathOrgId(req.params.orgId);
    return (await listOrgQuotas(ctx, req.principal, orgId)).map(orgDto(orgId));
  });

  app.put(
    '/api/orgs/:orgId/quotas/:target',
    {
      schema: { summary: "Set an org's quota for one target (server admin); -1 is unlimited", tags, params: OrgTargetParams, body: UpdateQuotaBody, response: { 200: S.Message } },
      config: { errors: { 'quota.bad-limit': [400, 'bad request data'] } },
    },
    async (req) => {
      await setOrgQuota(ctx, req.principal, pathOrgId(req.params.orgId), req.params.target, req.body.limit);
      return { message: 'Organization quota updated' };
    },
  );

  app.get('/api/admin/users/:id/quotas', { schema: { summary: "A user's quotas with their usage (server admin)", tags, params: S.IdParam, response: { 200: Type.Array(UserQuota) } } }, async (req) => {
    const id = () => intParam(req.params.id, 'id');
    const quotas = await listUserQuotas(ctx, req.principal, id);
    return quotas.map(userDto(id()));
  });

  app.put(
    '/api/admin/users/:id/quotas/:target',
    {
      schema: { summary: "Set a user's quota for one target (server admin); -1 is unlimited", tags, params: UserTargetParams, body: UpdateQuotaBody, response: { 200: S.Message } },
      config: { errors: { 'quota.bad-limit': [400, 'bad request data'] } },
    },
    async (req) => {
      await setUserQuota(ctx, req.principal, () => intParam(req.params.id, 'id'), req.params.target, req.body.limit);
      // Grafana's handler answers with the org message here too (pkg/api/quota.go UpdateUserQuota).
      return { message: 'Organization quota updated' };
    },
  );

  app.get('/api/user/quotas', { schema: { summary: "The signed-in user's quotas with their usage", tags, response: { 200: Type.Array(UserQuota) } } }, async (req) => {
    const quotas = await listUserQuotas(ctx, req.principal, 'self');
    return quotas.map(userDto(req.principal.userId!));
  });
};
