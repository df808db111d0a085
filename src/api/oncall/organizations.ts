// The caller's one organization, listed, read and updated by its public id
// (docs/compat/oncall.md#routes, docs/compat/decisions.md#oncall-face).
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readOncallOrg } from '../../domain/oncall-org.ts';
import { updateOrgSettings } from '../../domain/orgs.ts';
import { paginate } from '../../http/paging/drf-page-number.ts';
import { finishRoute } from './allowed-methods.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { organization } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['oncall: organizations'];

/** DRF's BooleanField accepts these spellings besides JSON booleans. */
const TRUE = new Set(['t', 'y', 'yes', 'true', 'on', '1', 1]);
const FALSE = new Set(['f', 'n', 'no', 'false', 'off', '0', 0]);

function drfBooleans(req: FastifyRequest) {
  if (req.body === undefined) req.body = {};
  const body = req.body as Record<string, unknown>;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  const key = 'manually_manage_direct_paging_integrations';
  const v = typeof body[key] === 'string' ? (body[key] as string).toLowerCase() : body[key];
  if (TRUE.has(v as string)) body[key] = true;
  else if (FALSE.has(v as string)) body[key] = false;
}

export const organizationRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, publicUrl }) => {
  app.get(
    '/organizations',
    {
      schema: {
        summary: "List organizations: the caller's one organization in the page envelope (page size 25)",
        tags,
        querystring: S.OrgListQuery,
        response: { 200: S.PageOf(S.Organization), ...S.errorResponses },
      },
      config: { memoize: true },
    },
    async (req) => {
      const org = organization(await readOncallOrg(ctx, req.principal));
      return paginate(req, publicUrl, 25, async (limit, offset) => ({ total: 1, items: [org].slice(offset, offset + limit) }));
    },
  );
  finishRoute(app, '/organizations', 'Organization List', ['GET']);

  app.get(
    '/organizations/:id',
    {
      schema: {
        summary: 'Get the organization by its OnCall public id',
        tags,
        params: S.IdParam,
        response: { 200: S.Organization, ...S.errorResponses },
      },
    },
    async (req) => {
      return organization(await readOncallOrg(ctx, req.principal, req.params.id));
    },
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/organizations/:id',
      schema: {
        summary: `${method === 'PUT' ? 'Replace' : 'Update'} the organization's manually_manage_direct_paging_integrations (org Admin)`,
        tags,
        params: S.IdParam,
        body: S.OrganizationUpdate,
        response: { 200: S.Organization, 400: S.BadRequest, ...S.errorResponses },
      },
      // DRF checks permissions, then finds the object, then validates the body.
      preValidation: async (req) => {
        await readOncallOrg(ctx, req.principal, req.params.id, 'write');
        drfBooleans(req);
      },
      handler: async (req) => {
        const org = await readOncallOrg(ctx, req.principal, req.params.id, 'write');
        const value = req.body.manually_manage_direct_paging_integrations;
        if (value === undefined) return organization(org);
        // "false or null: default automation applies"; null is stored as false.
        return organization(await updateOrgSettings(ctx, req.principal, org.id, { manuallyManageDirectPagingIntegrations: value === true }));
      },
    });
  }
  finishRoute(app, '/organizations/:id', 'Organization Instance', ['GET', 'PUT', 'PATCH']);
};
