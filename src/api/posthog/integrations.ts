// /api/organizations/<org>/integrations/: list, get, disconnect, environment mapping
// (docs/compat/posthog.md#integrations). Creation is Roster's native
// POST /api/roster/v1/orgs/<org>/integrations.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { deleteIntegration, getIntegration, listIntegrations, mappableIntegration, setEnvironmentMapping, type Integration } from '../../domain/integrations.ts';
import { orgRecordCreator } from '../../domain/posthog-member-reads.ts';
import type { Principal } from '../../domain/principal.ts';
import { phMethodNotAllowed } from './errors.ts';
import { memberOrg } from '../../domain/posthog-access.ts';
import { limitOffset, limitOffsetPage } from '../../http/paging/drf-limit-offset.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { validBody } from './request-body.ts';
import { integration } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['posthog: integrations'];

export const integrationRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, publicUrl }) => {
  const present = async (p: Principal, i: Integration) => integration(i, await orgRecordCreator(ctx, p, i.orgId, i.createdBy));

  app.get(
    '/api/organizations/:organization_id/integrations',
    { schema: { summary: "List an organization's integrations", tags, params: S.NestedParam, querystring: S.PageQuery, response: { 200: S.paginated(S.Integration) } } },
    async (req) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.integrations:read');
      const page = limitOffset(req.query);
      const { total, integrations } = await listIntegrations(ctx, req.principal, org.id, page);
      const results = [];
      for (const i of integrations) results.push(await present(req.principal, i));
      return limitOffsetPage(publicUrl, req, page, total, results);
    },
  );

  app.get('/api/organizations/:organization_id/integrations/:id', { schema: { summary: 'Get one integration', tags, params: S.NestedIdParam, response: { 200: S.Integration } } }, async (req) => {
    const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.integrations:read');
    return present(req.principal, await getIntegration(ctx, req.principal, org.id, req.params.id));
  });

  app.delete(
    '/api/organizations/:organization_id/integrations/:id',
    { schema: { summary: 'Disconnect an integration (admins)', tags, params: S.NestedIdParam, response: { 204: S.NoContent } } },
    async (req, reply) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.integrations:write');
      await deleteIntegration(ctx, req.principal, org.id, req.params.id);
      return reply.code(204).send();
    },
  );

  app.patch(
    '/api/organizations/:organization_id/integrations/:id/environment-mapping',
    {
      schema: {
        summary: 'Map production/preview/development to projects (admins; not with a personal API key)',
        tags,
        params: S.NestedIdParam,
        body: S.EnvironmentMappingWrite,
        response: { 200: S.Integration },
      },
    },
    async (req) => {
      // No scope: PostHog refuses this action to personal API keys.
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.integrations.environments:write');
      await mappableIntegration(ctx, req.principal, org.id, req.params.id);
      const { production, preview, development } = validBody(req);
      return present(req.principal, await setEnvironmentMapping(ctx, req.principal, org.id, req.params.id, { production, preview, development }));
    },
  );

  const refuse = (method: 'POST' | 'PATCH' | 'PUT', url: string, params: typeof S.NestedParam | typeof S.NestedIdParam) =>
    app.route({
      method,
      url,
      schema: { summary: 'Not allowed (405): integrations are created by install flows', tags, params, hide: true },
      handler: async (req) => {
        const { organization_id } = req.params as { organization_id: string };
        await memberOrg(ctx, req.principal, organization_id, 'org.integrations:write');
        throw phMethodNotAllowed(method);
      },
    });
  refuse('POST', '/api/organizations/:organization_id/integrations', S.NestedParam);
  refuse('PATCH', '/api/organizations/:organization_id/integrations/:id', S.NestedIdParam);
  refuse('PUT', '/api/organizations/:organization_id/integrations/:id', S.NestedIdParam);
};
