// Sessions as Grafana's auth tokens: /api/user/auth-tokens and /api/admin/users/:id/auth-tokens.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listSessions, logoutUser, revokeSession, type SessionView } from '../../domain/auth-tokens.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import * as S from './schemas.ts';
import { intParam } from './params.ts';

const UserToken = Type.Object({
  id: Type.Integer(),
  isActive: Type.Boolean({ description: 'The session this request came with' }),
  clientIp: Type.String(),
  browser: Type.String(),
  browserVersion: Type.String(),
  os: Type.String(),
  osVersion: Type.String(),
  device: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  seenAt: Type.String({ format: 'date-time' }),
});
const RevokeBody = Type.Object({ authTokenId: Type.Integer() });

const tokenDto = (s: SessionView) => ({
  id: s.id,
  isActive: s.isActive,
  clientIp: s.clientIp,
  browser: s.browser,
  browserVersion: s.browserVersion,
  os: s.os,
  osVersion: s.osVersion,
  device: s.device,
  createdAt: s.createdAt,
  seenAt: s.seenAt,
});

const NOT_FOUND = { 'user.not-found': [404, 'User not found'] as [number, string] };

export const authTokenRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.get('/api/user/auth-tokens', { schema: { summary: "The signed-in user's sessions", tags: ['grafana: users'], response: { 200: Type.Array(UserToken) } } }, async (req) =>
    (await listSessions(ctx, req.principal, 'self')).map(tokenDto),
  );

  app.post(
    '/api/user/revoke-auth-token',
    { schema: { summary: 'End one of the signed-in user’s other sessions', tags: ['grafana: users'], body: RevokeBody, response: { 200: S.Message } } },
    async (req) => {
      await revokeSession(ctx, req.principal, 'self', req.body.authTokenId);
      return { message: 'User auth token revoked' };
    },
  );

  const tags = ['grafana: admin'];
  app.get(
    '/api/admin/users/:id/auth-tokens',
    { schema: { summary: "A user's sessions (server admin)", tags, params: S.IdParam, response: { 200: Type.Array(UserToken) } }, config: { errors: NOT_FOUND } },
    async (req) => (await listSessions(ctx, req.principal, async () => intParam(req.params.id, 'id'))).map(tokenDto),
  );

  app.post(
    '/api/admin/users/:id/revoke-auth-token',
    { schema: { summary: "End one of a user's sessions (server admin)", tags, params: S.IdParam, body: RevokeBody, response: { 200: S.Message } }, config: { errors: NOT_FOUND } },
    async (req) => {
      await revokeSession(ctx, req.principal, async () => intParam(req.params.id, 'id'), req.body.authTokenId);
      return { message: 'User auth token revoked' };
    },
  );

  app.post(
    '/api/admin/users/:id/logout',
    { schema: { summary: 'End every session of a user (server admin)', tags, params: S.IdParam, response: { 200: S.Message } }, config: { errors: NOT_FOUND } },
    async (req) => {
      await logoutUser(ctx, req.principal, intParam(req.params.id, 'id'));
      return { message: 'User logged out' };
    },
  );
};
