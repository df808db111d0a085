// /api/organizations/<org>/members/: list, change a level, leave or remove
// (docs/compat/posthog.md#members, #membership-levels).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../../domain/context.ts';
import { authorizeMemberEdit, changeMemberLevel, leaveOrRemoveMember } from '../../domain/posthog-members.ts';
import { listOrgMembers, memberKeysReachingOrg, memberPathUser } from '../../domain/posthog-member-reads.ts';
import type { Principal } from '../../domain/principal.ts';
import { phInvalid, phMethodNotAllowed, phNotFound } from './errors.ts';
import { memberOrg } from '../../domain/posthog-access.ts';
import { limitOffset, limitOffsetPage } from '../../http/paging/drf-limit-offset.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { validBody } from './request-body.ts';
import { member, phTime } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['posthog: members'];
const MemberParams = Type.Object({ organization_id: Type.String(), user_uuid: Type.String({ description: 'User uuid or @me' }) });
const MemberQuery = Type.Object({
  ...S.PageQuery.properties,
  email: Type.Optional(Type.String({ description: 'Exact email' })),
  updated_after: Type.Optional(Type.String({ description: 'Memberships changed after this time' })),
  order: Type.Optional(Type.String({ description: 'joined_at or -joined_at (default)' })),
  search: Type.Optional(Type.String({ description: 'Part of a name or email, case-insensitive' })),
});

/** The member a path names: a user uuid or @me; anyone else is 404. */
async function targetUser(ctx: Ctx, p: Principal, orgId: number, value: string) {
  const user = await memberPathUser(ctx, p, orgId, value);
  if (!user) throw phNotFound();
  return user;
}

export const memberRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, publicUrl }) => {
  const one = async (p: Principal, orgId: number, email: string) => {
    const { members } = await listOrgMembers(ctx, p, orgId, { email });
    if (!members.length) throw phNotFound();
    return member(members[0]);
  };

  app.get(
    '/api/organizations/:organization_id/members',
    { schema: { summary: "List an organization's members, newest first", tags, params: S.NestedParam, querystring: MemberQuery, response: { 200: S.paginated(S.Member) } }, config: { memoize: true } },
    async (req) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users:read');
      const q = req.query;
      const page = limitOffset(q);
      const search = q.search?.trim() || undefined;
      if (search && search.length > 200) throw phInvalid('invalid_input', 'Search query must be 200 characters or fewer.', 'search');
      const after = q.updated_after !== undefined && Number.isFinite(Date.parse(q.updated_after)) ? new Date(q.updated_after).toISOString() : undefined;
      const { total, members } = await listOrgMembers(ctx, req.principal, org.id, {
        activeOnly: true,
        query: search,
        email: q.email,
        updatedAfter: after,
        // Same-instant joins fall back to the users' own age, in the same direction.
        sort: [
          { key: 'joined', desc: q.order !== 'joined_at' },
          { key: 'created', desc: q.order !== 'joined_at' },
        ],
        limit: page.limit,
        offset: page.offset,
      });
      return limitOffsetPage(publicUrl, req, page, total, members.map(member));
    },
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: '/api/organizations/:organization_id/members/:user_uuid',
      schema: { summary: "Change a member's level (1 member, 8 admin, 15 owner)", tags, params: MemberParams, body: S.MemberWrite, response: { 200: S.Member } },
      handler: async (req) => {
        const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users:write');
        const user = await targetUser(ctx, req.principal, org.id, req.params.user_uuid);
        // Who may edit whom is decided before the body is read, as in PostHog.
        await authorizeMemberEdit(ctx, req.principal, org.id, user.id);
        const { level } = validBody(req);
        await changeMemberLevel(ctx, req.principal, org.id, user.id, level);
        return one(req.principal, org.id, user.email);
      },
    });
  }

  app.delete(
    '/api/organizations/:organization_id/members/:user_uuid',
    { schema: { summary: 'Leave an organization, or remove a member (admins)', tags, params: MemberParams, response: { 204: S.NoContent } } },
    async (req, reply) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users:remove');
      const user = await targetUser(ctx, req.principal, org.id, req.params.user_uuid);
      await leaveOrRemoveMember(ctx, req.principal, org.id, user.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/organizations/:organization_id/members/:user_uuid/scoped_api_keys',
    {
      schema: {
        summary: "A member's personal API keys that can reach this organization (not with a key)",
        tags,
        params: MemberParams,
        response: {
          200: Type.Object({
            has_keys: Type.Boolean(),
            has_keys_active_last_week: Type.Boolean(),
            keys: Type.Array(Type.Object({ name: Type.String(), last_used_at: Type.Union([Type.String(), Type.Null()]) })),
          }),
        },
      },
    },
    async (req) => {
      const { org } = await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users.keys:read');
      const user = await targetUser(ctx, req.principal, org.id, req.params.user_uuid);
      const keys = await memberKeysReachingOrg(ctx, req.principal, org, user.id);
      if (!keys) throw phNotFound();
      const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
      return {
        has_keys: keys.length > 0,
        has_keys_active_last_week: keys.some((k) => k.lastUsedAt !== null && k.lastUsedAt > weekAgo),
        keys: keys.map((k) => ({ name: k.label, last_used_at: phTime(k.lastUsedAt) })),
      };
    },
  );

  app.get('/api/organizations/:organization_id/members/:user_uuid', { schema: { summary: 'Not allowed (405): PostHog has no member detail', tags, params: MemberParams, hide: true } }, async (req) => {
    await memberOrg(ctx, req.principal, req.params.organization_id, 'org.users:read');
    throw phMethodNotAllowed('GET');
  });
};
