// The caller's one organization, listed, read and updated by its public id
// (docs/compat/oncall.md#routes, docs/compat/decisions.md#oncall-face).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { authorize } from '../../domain/policy/index.ts';
import { notFound } from '../../domain/errors.ts';
import { getOrg, updateOrgSettings } from '../../domain/orgs.ts';
import type { Principal } from '../../domain/principal.ts';
import { paginate } from './pagination.ts';
import { finishRoute } from './allowed-methods.ts';
import type { OncallOptions } from './plugin.ts';
import { organization } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['oncall: organizations'];
const READ = 'grafana-irm-app.other-settings:read';
const WRITE = 'grafana-irm-app.other-settings:write';

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

export async function organizationRoutes(root: FastifyInstance, { ctx, publicUrl }: OncallOptions) {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  /** The org a public id names, if it is the caller's; any other id is "Not found.". */
  const callerOrg = async (p: Principal, id: string) => {
    const org = await getOrg(ctx, p.orgId);
    if (org.public_id !== id) throw notFound('org.not-found');
    return org;
  };

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
      await authorize(ctx, req.principal, READ, req.principal.orgId);
      const org = organization(await getOrg(ctx, req.principal.orgId));
      return paginate(req, publicUrl, 25, async (limit, offset) => ({ total: 1, items: [org].slice(offset, offset + limit) }));
    },
  );
  finishRoute(root, '/organizations', 'Organization List', ['GET']);

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
      await authorize(ctx, req.principal, READ, req.principal.orgId);
      return organization(await callerOrg(req.principal, req.params.id));
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
        await authorize(ctx, req.principal, WRITE, req.principal.orgId);
        await callerOrg(req.principal, req.params.id);
        drfBooleans(req);
      },
      handler: async (req) => {
        const org = await callerOrg(req.principal, req.params.id);
        const value = req.body.manually_manage_direct_paging_integrations;
        if (value === undefined) return organization(org);
        // "false or null: default automation applies"; null is stored as false.
        return organization(await updateOrgSettings(ctx, req.principal, org.id, { manuallyManageDirectPagingIntegrations: value === true }));
      },
    });
  }
  finishRoute(root, '/organizations/:id', 'Organization Instance', ['GET', 'PUT', 'PATCH']);
}
