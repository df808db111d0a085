// /api/organizations/<org>/invites/: list, create, withdraw (docs/compat/posthog.md#invites). Accepting is
// Roster's native POST /api/roster/v1/invites/<id>/accept.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UUID_PATTERN } from '../../domain/ids.ts';
import { Type } from '@sinclair/typebox';
import { createInvite, createInvites, deleteInvite, listInvites, type CreatedInvite, type Invite, type NewInvite } from '../../domain/invites.ts';
import { LEVELS, OWNER, roleForLevel } from '../../domain/policy/index.ts';
import { findUser } from '../../domain/users.ts';
import { phInvalid, phMethodNotAllowed } from './errors.ts';
import { asBody, boolField, charField, choiceField, emailField, type Body } from './fields.ts';
import { memberOrg } from '../../domain/posthog-access.ts';
import { envelope, pageOf } from './pagination.ts';
import type { PosthogOptions } from './plugin.ts';
import { invite } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['posthog: invites'];
const PROJECT_ACCESS = 'Project does not exist on this organization, or it is private and you do not have access to it.';

/** One invite's fields, in PostHog's serializer order. */
function readInvite(body: Body): NewInvite {
  const email = emailField(body, 'target_email', { required: true, maxLength: 254 })!;
  const firstName = charField(body, 'first_name', { maxLength: 30, allowBlank: true }) ?? '';
  const level = choiceField(body, 'level', LEVELS) ?? 1;
  const message = charField(body, 'message', { allowNull: true, allowBlank: true });
  if (body.private_project_access !== undefined && body.private_project_access !== null) {
    const access = body.private_project_access;
    if (!Array.isArray(access)) throw phInvalid('not_a_list', `Expected a list of items but got type "${typeof access === 'string' ? 'str' : 'dict'}".`, 'private_project_access');
    // Roster has no PostHog projects, so no project can be granted.
    if (access.length) throw phInvalid('invalid_input', PROJECT_ACCESS, 'private_project_access');
  }
  const sendEmail = boolField(body, 'send_email') ?? true;
  const combine = boolField(body, 'combine_pending_invites') ?? false;
  return { email, firstName, role: roleForLevel(level, null), isOwner: level === OWNER, message: message ?? null, combinePending: combine, sendEmail };
}

const MAX_BULK = 20;

export const inviteRoutes: FastifyPluginAsyncTypebox<PosthogOptions> = async (app, { ctx, publicUrl }) => {
  const present = async (i: Invite) => invite(i, i.createdBy === null ? undefined : await findUser(ctx.db, i.createdBy));
  // A new invite's code is shown this once, when it was not mailed (Roster's addition to PostHog's shape).
  const presentCreated = async (i: CreatedInvite) => ({ ...(await present(i)), ...(i.code ? { invite_code: i.code } : {}) });

  app.get(
    '/api/organizations/:organization_id/invites',
    { schema: { summary: "List an organization's invites, newest first, expired ones included", tags, params: S.NestedParam, querystring: S.PageQuery, response: { 200: S.paginated(S.Invite) } } },
    async (req) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users:read');
      const page = pageOf(req.query);
      const { total, invites } = await listInvites(ctx, req.principal, org.id, page);
      const results = [];
      for (const i of invites) results.push(await present(i));
      return envelope(publicUrl, req, page, total, results);
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
      const created = await createInvite(ctx, req.principal, org.id, readInvite(asBody(req.body)));
      return reply.code(201).send(await presentCreated(created));
    },
  );

  app.post(
    '/api/organizations/:organization_id/invites/bulk',
    {
      schema: {
        summary: 'Invite up to 20 addresses at once; all or nothing',
        tags,
        params: S.NestedParam,
        body: Type.Array(S.InviteWrite, { maxItems: MAX_BULK }),
        response: { 201: Type.Array(S.CreatedInvite) },
      },
    },
    async (req, reply) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users:write');
      const items = req.body as unknown;
      if (!Array.isArray(items)) throw phInvalid('invalid_input', 'This endpoint needs an array of data for bulk invite creation.', null);
      if (items.length > MAX_BULK) throw phInvalid('max_length', `A maximum of ${MAX_BULK} invites can be sent in a single request.`, null);
      const inputs = items.map((item) => readInvite(asBody(item)));
      const created = await createInvites(ctx, req.principal, org.id, inputs);
      const results = [];
      for (const i of created) results.push(await presentCreated(i));
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
