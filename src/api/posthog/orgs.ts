// /api/organizations/ and /api/organizations/<id>/ (uuid or @current).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Org } from '../../domain/orgs.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Level } from '../../domain/policy/index.ts';
import { ownOrg } from '../../domain/posthog-access.ts';
import { activeMemberCount } from '../../domain/posthog-member-reads.ts';
import { createOrgAsMember, deleteOrgAsOwner, listMemberOrgs, updateOrgAsMember } from '../../domain/posthog-orgs.ts';
import { phMethodNotAllowed } from './errors.ts';

import { readOrgWrite } from './org-fields.ts';
import { limitOffset, limitOffsetPage } from '../../http/paging/drf-limit-offset.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { validBody } from './request-body.ts';
import { organization } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['posthog: organizations'];

export const orgRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, publicUrl }) => {
  const present = async (p: Principal, org: Org, level: Level) => organization(org, level, await activeMemberCount(ctx, p, org.id));

  app.get(
    '/api/organizations',
    { schema: { summary: "List the caller's organizations (limit/offset)", tags, querystring: S.PageQuery, response: { 200: S.paginated(S.Organization) } }, config: { memoize: true } },
    async (req) => {
      const page = limitOffset(req.query);
      const { total, orgs } = await listMemberOrgs(ctx, req.principal, page);
      const results = [];
      for (const o of orgs) results.push(await present(req.principal, o, o.level));
      return limitOffsetPage(publicUrl, req, page, total, results);
    },
  );

  app.post(
    '/api/organizations',
    { schema: { summary: 'Create an organization; the caller becomes its owner', tags, body: S.OrganizationCreate, response: { 201: S.Organization } } },
    async (req, reply) => {
      const org = await createOrgAsMember(ctx, req.principal, () => {
        const input = readOrgWrite(validBody(req), true);
        return { name: input.name!, settings: input.settings };
      });
      return reply.code(201).send(await present(req.principal, org, org.level));
    },
  );

  app.get('/api/organizations/:id', { schema: { summary: 'Get one of your organizations by uuid or @current', tags, params: S.OrgParam, response: { 200: S.Organization } } }, async (req) => {
    const { org, level } = await ownOrg(ctx, req.principal, req.params.id, 'orgs:read');
    return present(req.principal, org, level);
  });

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: '/api/organizations/:id',
      schema: {
        summary: method === 'PATCH' ? 'Update an organization (admins and owners)' : 'Update an organization; like PATCH, every field optional',
        tags,
        params: S.OrgParam,
        body: S.OrganizationWrite,
        response: { 200: S.Organization },
      },
      handler: async (req) => {
        const { org } = await ownOrg(ctx, req.principal, req.params.id, 'orgs:write');
        // PostHog checks the level before it reads the body: the domain reads it after its check.
        const updated = await updateOrgAsMember(ctx, req.principal, org.id, () => {
          const input = readOrgWrite(validBody(req), false);
          return { ...input.settings, ...(input.name !== undefined ? { name: input.name } : {}) };
        });
        return present(req.principal, updated.org, updated.level);
      },
    });
  }

  app.delete('/api/organizations/:id', { schema: { summary: 'Delete an organization at once (owners only)', tags, params: S.OrgParam, response: { 204: S.NoContent } } }, async (req, reply) => {
    const { org } = await ownOrg(ctx, req.principal, req.params.id, 'orgs:delete');
    await deleteOrgAsOwner(ctx, req.principal, org.id);
    return reply.code(204).send();
  });

  app.post('/api/organizations/:id', { schema: { summary: 'Not allowed (405)', tags, params: S.OrgParam, hide: true } }, async (req) => {
    await ownOrg(ctx, req.principal, req.params.id, 'orgs:write');
    throw phMethodNotAllowed('POST');
  });
};
