// Current organization: /api/org...
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { addMember, removeMember, updateMemberRole } from '../../domain/members.ts';
import { getOrg, readOrg, renameOrg, updateOrgAddress } from '../../domain/orgs.ts';
import { getPreferences, savePreferences } from '../../domain/preferences.ts';
import { lookupOrgUsers } from '../../domain/org-user-lookup.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { orgUserList, orgUserSearch } from './org-user-lists.ts';
import * as S from './schemas.ts';
import { intParam, queryInt } from './params.ts';
import { avatarUrl, orgDetails } from './presenters.ts';

const tags = ['grafana: current org'];

/** Member routes shared by /api/org/users and /api/orgs/:orgId/users. */
export const memberErrors = {
  update: { 'member.not-found': [404, 'Failed update org user'], 'org.not-found': [404, 'Failed update org user'] },
  add: { 'org.not-found': [404, 'Could not add user to organization'] },
} as const satisfies Record<string, Record<string, [number, string?]>>;

export const currentOrgRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, memos }) => {
  app.get('/api/org', { schema: { summary: 'Get the current organization', tags, response: { 200: S.OrgDetails } } }, async (req) => {
    // Polled constantly by clients: read through the read memo (http/memo/read-memo.ts).
    return orgDetails(await readOrg(ctx, req.principal, req.principal.orgId, (orgId) => memos.reads.read(`org:${orgId}`, () => getOrg(ctx, orgId))));
  });

  app.put(
    '/api/org',
    {
      schema: { summary: 'Rename the current organization', tags, body: S.NameBody, response: { 200: S.Message } },
      config: { errors: { 'org.name-taken': [400] } },
    },
    async (req) => {
      await renameOrg(ctx, req.principal, req.principal.orgId, req.body.name);
      return { message: 'Organization updated' };
    },
  );

  app.put('/api/org/address', { schema: { summary: "Update the current organization's address", tags, body: S.AddressBody, response: { 200: S.Message } } }, async (req) => {
    await updateOrgAddress(ctx, req.principal, req.principal.orgId, req.body);
    return { message: 'Address updated' };
  });

  app.get('/api/org/preferences', { schema: { summary: "Get the current organization's preferences", tags, response: { 200: S.Preferences } } }, async (req) =>
    getPreferences(ctx, req.principal, { kind: 'org', id: req.principal.orgId }),
  );
  for (const [method, mode] of [
    ['PUT', 'replace'],
    ['PATCH', 'merge'],
  ] as const) {
    app.route({
      method,
      url: '/api/org/preferences',
      schema: { summary: `${method === 'PUT' ? 'Replace' : 'Update'} the current organization's preferences`, tags, body: S.Preferences, response: { 200: S.Message } },
      handler: async (req) => {
        await savePreferences(ctx, req.principal, { kind: 'org', id: req.principal.orgId }, (req.body ?? {}) as object as Record<string, unknown>, mode);
        return { message: 'Preferences updated' };
      },
    });
  }

  app.get(
    '/api/org/users',
    { schema: { summary: 'List the users of the current organization', tags, querystring: S.PagingQuery, response: { 200: Type.Array(S.OrgUser) } }, config: { memoize: true } },
    async (req) => orgUserList(ctx, req.principal, req.principal.orgId, req.query),
  );

  app.get(
    '/api/org/users/search',
    { schema: { summary: 'Search the users of the current organization, paged', tags, querystring: S.PagingQuery, response: { 200: S.OrgUserSearch } }, config: { memoize: true } },
    async (req) => orgUserSearch(ctx, req.principal, req.principal.orgId, req.query),
  );

  app.get(
    '/api/org/users/lookup',
    { schema: { summary: 'Look up users of the current organization (short form)', tags, querystring: S.PagingQuery, response: { 200: Type.Array(S.UserLookup) } }, config: { memoize: true } },
    async (req) => {
      const members = await lookupOrgUsers(ctx, req.principal, {
        query: req.query.query,
        limit: Math.max(queryInt(req.query.limit), 0),
        sort: [{ key: 'login', desc: false }],
      });
      return members.map((m) => ({ userId: m.userId, uid: m.uid, login: m.login, avatarUrl: avatarUrl(m.email) }));
    },
  );

  app.post(
    '/api/org/users',
    {
      schema: { summary: 'Add an existing user to the current organization', tags, body: S.AddOrgUserBody, response: { 200: S.AddOrgUserResult } },
      config: { errors: memberErrors.add },
    },
    async (req) => {
      const { userId } = await addMember(ctx, req.principal, req.principal.orgId, { loginOrEmail: req.body.loginOrEmail, role: req.body.role });
      return { message: 'User added to organization', userId };
    },
  );

  app.patch(
    '/api/org/users/:userId',
    {
      schema: { summary: "Change a user's role in the current organization", tags, params: S.UserIdParam, body: S.RoleBody, response: { 200: S.Message } },
      config: { errors: memberErrors.update },
    },
    async (req) => {
      const userId = intParam(req.params.userId, 'userId');
      await updateMemberRole(ctx, req.principal, req.principal.orgId, userId, req.body.role);
      return { message: 'Organization user updated' };
    },
  );

  app.delete(
    '/api/org/users/:userId',
    { schema: { summary: 'Remove a user from the current organization (deletes a user left in no org)', tags, params: S.UserIdParam, response: { 200: S.Message } } },
    async (req) => {
      const userId = intParam(req.params.userId, 'userId');
      const { userDeleted } = await removeMember(ctx, req.principal, req.principal.orgId, userId, { deleteOrphan: true });
      return { message: userDeleted ? 'User deleted' : 'User removed from organization' };
    },
  );
};
