// Users: /api/users (server admin) and /api/user (the caller).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { userOrgs } from '../../domain/members.ts';
import { getPreferences, savePreferences } from '../../domain/preferences.ts';
import { userTeams } from '../../domain/teams.ts';
import { countUsers, editProfile, lookupUser, readUser, searchUsers, switchUserOrg, type ListedUser, type UserOrderKey } from '../../domain/users.ts';
import { changeOwnPassword } from '../../domain/user-passwords.ts';
import { readPage } from '../../http/memo/paging-loop.ts';
import { confirmEmailChange, EMAIL_SENT_MESSAGE, VERIFY_PATH } from '../../domain/email-verification.ts';
import type { Principal } from '../../domain/principal.ts';
import { userByIdOrUid } from '../../domain/user-lookup.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import * as S from './schemas.ts';
import { intParam, parseSort } from './params.ts';
import { grafanaPage } from '../../http/paging/grafana-pages.ts';
import { serviceAccountProfile, userProfile, userSearchHit } from './presenters.ts';
import { signedIn } from '../../domain/signed-in.ts';
import { changeHelpFlags, parseHelpFlag } from '../../domain/help-flags.ts';
import { teamDto, TeamSchema } from './team-presenter.ts';

const tags = ['grafana: users'];
const USER_SORT = { login: 'login', email: 'email', name: 'name', lastSeenAtAge: 'lastSeenAt', created: 'created' } as const;
const UsingParams = Type.Object({ id: Type.String(), orgId: Type.String() });
const HelpFlags = Type.Object({ message: Type.String(), helpFlags1: Type.Integer() });

export const userRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, memos }) => {
  const page = (q: { query?: string; perpage?: string; page?: string; sort?: string }, p: Principal) => {
    const paging = grafanaPage(q);
    const sort = parseSort(q.sort, USER_SORT);
    return readPage<ListedUser, UserOrderKey>(memos.listings, {
      listing: `users:${q.query ?? ''}`,
      page: paging.page,
      pageSize: paging.limit,
      keyset: sort.length === 0,
      keyOf: (u) => ({ login: u.login, email: u.email, id: u.id }),
      read: ({ after, skip, limit }) => searchUsers(ctx, p, { query: q.query, limit, offset: skip, sort, after }),
    });
  };

  app.get(
    '/api/users',
    { schema: { summary: 'List users (server admin), paged', tags, querystring: S.PagingQuery, response: { 200: Type.Array(S.UserSearchHit) } }, config: { memoize: true } },
    async (req) => (await page(req.query, req.principal)).map(userSearchHit),
  );

  app.get(
    '/api/users/search',
    { schema: { summary: 'Search users (server admin), paged with a total', tags, querystring: S.PagingQuery, response: { 200: S.UserSearch } }, config: { memoize: true } },
    async (req) => {
      const { perPage, page: pageNo } = grafanaPage(req.query);
      // The total is the same for every page of every paging loop: counted once until a write.
      const [users, totalCount] = await Promise.all([page(req.query, req.principal), memos.listings.count(`users:${req.query.query ?? ''}`, () => countUsers(ctx, req.principal, req.query.query))]);
      return { totalCount, users: users.map(userSearchHit), page: pageNo, perPage };
    },
  );

  app.get(
    '/api/users/lookup',
    { schema: { summary: 'Get a user by login or email (server admin)', tags, querystring: Type.Object({ loginOrEmail: Type.Optional(Type.String()) }), response: { 200: S.UserProfile } } },
    async (req) => userProfile(await lookupUser(ctx, req.principal, req.query.loginOrEmail ?? '')),
  );

  app.get('/api/users/:id', { schema: { summary: 'Get a user by id or uid (server admin)', tags, params: S.IdParam, response: { 200: S.UserProfile } } }, async (req) => {
    return userProfile(await readUser(ctx, req.principal, userByIdOrUid(ctx.db, req.params.id)));
  });

  app.put(
    '/api/users/:id',
    { schema: { summary: "Update a user's login, email, name or theme (server admin)", tags, params: S.IdParam, body: S.ProfileBody, response: { 200: S.Message } } },
    async (req) => {
      await editProfile(ctx, req.principal, userByIdOrUid(ctx.db, req.params.id), req.body ?? {});
      return { message: 'User updated' };
    },
  );

  app.get('/api/users/:id/orgs', { schema: { summary: "A user's organizations (server admin)", tags, params: S.IdParam, response: { 200: Type.Array(S.UserOrg) } } }, async (req) => {
    const orgs = await userOrgs(ctx, req.principal, userByIdOrUid(ctx.db, req.params.id));
    return orgs.map(({ orgId, name, role }) => ({ orgId, name, role }));
  });

  app.get('/api/users/:id/teams', { schema: { summary: "A user's teams (server admin)", tags, params: S.IdParam, response: { 200: Type.Array(TeamSchema) } } }, async (req) => {
    return (await userTeams(ctx, req.principal, userByIdOrUid(ctx.db, req.params.id))).map(teamDto);
  });

  app.post('/api/users/:id/using/:orgId', { schema: { summary: "Switch a user's current organization (server admin)", tags, params: UsingParams, response: { 200: S.Message } } }, async (req) => {
    await switchUserOrg(ctx, req.principal, userByIdOrUid(ctx.db, req.params.id), () => intParam(req.params.orgId, 'orgId'));
    return { message: 'Active organization changed' };
  });

  app.get(
    '/api/user',
    {
      schema: {
        summary: "The signed-in user (with Grafana's helpFlags1), or for a service account's token the account's own profile",
        tags,
        response: { 200: Type.Composite([S.UserProfile, Type.Object({ helpFlags1: Type.Optional(Type.Integer()) })]) },
      },
    },
    async (req) => {
      const who = await signedIn(ctx, req.principal);
      return who.kind === 'user' ? { ...userProfile(who.user), helpFlags1: who.user.help_flags1 } : serviceAccountProfile(who.account);
    },
  );

  app.put(
    '/api/user/helpflags/:flagId',
    { schema: { summary: 'Set a help flag of the signed-in user (ORs the id into helpFlags1)', tags, params: Type.Object({ flagId: Type.String() }), response: { 200: HelpFlags } } },
    async (req) => ({ message: 'Help flag set', helpFlags1: await changeHelpFlags(ctx, req.principal, parseHelpFlag(req.params.flagId)) }),
  );

  // A GET that writes, as Grafana has it.
  app.get('/api/user/helpflags/clear', { schema: { summary: "Clear the signed-in user's help flags", tags, response: { 200: HelpFlags } }, config: { writes: true } }, async (req) => ({
    message: 'Help flag set',
    helpFlags1: await changeHelpFlags(ctx, req.principal, 0, true),
  }));

  app.put(
    '/api/user',
    {
      schema: {
        summary: "Update the signed-in user's profile; a new email takes effect once confirmed through the link mailed to it",
        tags,
        body: S.ProfileBody,
        response: { 200: S.Message },
      },
      // Grafana answers 412 where a feature needs SMTP and none is configured.
      config: { errors: { 'user.email-change-needs-mail': [412] } },
    },
    async (req) => {
      const r = await editProfile(ctx, req.principal, 'self', req.body ?? {});
      return { message: r === 'pending' ? EMAIL_SENT_MESSAGE : 'User updated' };
    },
  );

  app.get(
    VERIFY_PATH,
    {
      schema: {
        summary: 'Confirm a new email address with the code mailed to it (signed in as the user who asked); redirects to the account page',
        tags,
        querystring: Type.Object({ code: Type.Optional(Type.String()) }),
        response: { 302: Type.Null() },
      },
      // It changes the user's email: memos holding the old one are dropped after it.
      config: { writes: true },
    },
    async (req, reply) => {
      await confirmEmailChange(ctx, req.principal, req.query.code ?? '');
      return reply.redirect('/account', 302);
    },
  );

  app.get('/api/user/orgs', { schema: { summary: "The signed-in user's organizations", tags, response: { 200: Type.Array(S.UserOrg) } } }, async (req) => {
    const orgs = await userOrgs(ctx, req.principal, 'self');
    return orgs.map(({ orgId, name, role }) => ({ orgId, name, role }));
  });

  app.get('/api/user/teams', { schema: { summary: "The signed-in user's teams", tags, response: { 200: Type.Array(TeamSchema) } } }, async (req) =>
    (await userTeams(ctx, req.principal, 'self')).map(teamDto),
  );

  app.post('/api/user/using/:id', { schema: { summary: "Switch the signed-in user's current organization", tags, params: S.IdParam, response: { 200: S.Message } } }, async (req) => {
    await switchUserOrg(ctx, req.principal, 'self', intParam(req.params.id, 'id'));
    return { message: 'Active organization changed' };
  });

  app.put(
    '/api/user/password',
    {
      schema: {
        summary: "Change the signed-in user's password",
        tags,
        body: Type.Object({ oldPassword: Type.String(), newPassword: Type.String(), confirmNew: Type.Optional(Type.String()) }),
        response: { 200: S.Message },
      },
    },
    async (req) => {
      await changeOwnPassword(ctx, req.principal, req.body.oldPassword, req.body.newPassword);
      return { message: 'User password changed' };
    },
  );

  app.get('/api/user/preferences', { schema: { summary: "The signed-in user's preferences", tags, response: { 200: S.Preferences } } }, async (req) =>
    getPreferences(ctx, req.principal, { kind: 'self' }),
  );
  for (const [method, mode] of [
    ['PUT', 'replace'],
    ['PATCH', 'merge'],
  ] as const) {
    app.route({
      method,
      url: '/api/user/preferences',
      schema: { summary: `${method === 'PUT' ? 'Replace' : 'Update'} the signed-in user's preferences`, tags, body: S.Preferences, response: { 200: S.Message } },
      handler: async (req) => {
        await savePreferences(ctx, req.principal, { kind: 'self' }, (req.body ?? {}) as Record<string, unknown>, mode);
        return { message: 'Preferences updated' };
      },
    });
  }
};
