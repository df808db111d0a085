// /api/organizations/<org>/invites/: list, create, withdraw (docs/compat/posthog.md#invites). Accepting is
// Roster's native POST /api/roster/v1/invites/<id>/accept.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UUID_PATTERN } from '../../domain/ids.ts';
import type { Static } from '@sinclair/typebox';
import { createInvite, createInvites, deleteInvite, listInvites, type CreatedInvite, type Invite, type NewInvite } from '../../domain/invites.ts';
import { OWNER, roleForLevel } from '../../domain/policy/index.ts';
import { orgRecordCreator } from '../../domain/posthog-member-reads.ts';
import type { Principal } from '../../domain/principal.ts';
import { phInvalid, phMethodNotAllowed } from './errors.ts';
import { memberOrg } from '../../domain/posthog-access.ts';
import { limitOffset, limitOffsetPage } from '../../http/paging/drf-limit-offset.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { validBody } from './request-body.ts';
import { invite } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['posthog: invites'];
const PROJECT_ACCESS = 'Project does not exist on this organization, or it is private and you do not have access to it.';

/** One validated invite as the domain takes it. */
function readInvite(body: Static<typeof S.InviteWrite>): NewInvite {
  // Roster has no PostHog projects, so no project can be granted.
  if (body.private_project_access?.length) throw phInvalid('invalid_input', PROJECT_ACCESS, 'private_project_access');
  const level = body.level ?? 1;
  return {
    email: body.target_email,
    firstName: body.first_name ?? '',
    role: roleForLevel(level, null),
    isOwner: level === OWNER,
    message: body.message ?? null,
    combinePending: body.combine_pending_invites ?? false,
    sendEmail: body.send_email ?? true,
  };
}

export const inviteRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, publicUrl }) => {
  const present = async (p: Principal, i: Invite) => invite(i, await orgRecordCreator(ctx, p, i.orgId, i.createdBy));
  // A new invite's code is shown this once, when it was not mailed (Roster's addition to PostHog's shape).
  const presentCreated = async (p: Principal, i: CreatedInvite) => ({ ...(await present(p, i)), ...(i.code ? { invite_code: i.code } : {}) });

  app.get(
    '/api/organizations/:organization_id/invites',
    { schema: { summary: "List an organization's invites, newest first, expired ones included", tags, params: S.NestedParam, querystring: S.PageQuery, response: { 200: S.paginated(S.Invite) } } },
    async (req) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users:read');
      const page = limitOffset(req.query);
      const { total, invites } = await listInvites(ctx, req.principal, org.id, page);
      const results = [];
      for (const i of invites) results.push(await present(req.principal, i));
      return limitOffsetPage(publicUrl, req, page, total, results);
    },
  );

  app.post(
    '/api/organizations/:organization_id/invites',
    {
      schema: {
        summary: 'Invite an email address with a level (at most your own); valid three days',
        description: 'The invite code is mailed to the address when this server sends mail and send_email is not false; otherwise it is returned once, as invite_code, for you to pass on.',
        tags,
        params: S.NestedParam,
        body: S.InviteWrite,
        response: { 201: S.CreatedInvite },
      },
    },
    async (req, reply) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users:write');
      const created = await createInvite(ctx, req.principal, org.id, readInvite(validBody(req)));
      return reply.code(201).send(await presentCreated(req.principal, created));
    },
  );

  app.post(
    '/api/organizations/:organization_id/invites/bulk',
    {
      schema: {
        summary: `Invite up to ${S.MAX_BULK_INVITES} addresses at once; all or nothing`,
        tags,
        params: S.NestedParam,
        body: S.BulkInviteWrite,
        response: { 201: S.CreatedInvites },
      },
    },
    async (req, reply) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users:write');
      const inputs = validBody(req).map(readInvite);
      const created = await createInvites(ctx, req.principal, org.id, inputs);
      const results = [];
      for (const i of created) results.push(await presentCreated(req.principal, i));
      return reply.code(201).send(results);
    },
  );

  app.delete(
    '/api/organizations/:organization_id/invites/:id',
    { schema: { summary: 'Withdraw an invite (admins)', tags, params: S.NestedIdParam, response: { 204: S.NoContent } } },
    async (req, reply) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users:write');
      await deleteInvite(ctx, req.principal, org.id, UUID_PATTERN.test(req.params.id) ? req.params.id.toLowerCase() : '');
      return reply.code(204).send();
    },
  );

  for (const method of ['GET', 'PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: '/api/organizations/:organization_id/invites/:id',
      schema: { summary: 'Not allowed (405)', tags, params: S.NestedIdParam, hide: true },
      handler: async (req) => {
        await memberOrg(ctx, req.principal, req.params.organization_id, method === 'GET' ? 'org.users:read' : 'org.users:write');
        throw phMethodNotAllowed(method);
      },
    });
  }
};
