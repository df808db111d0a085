// Server-admin user management: /api/admin/users...
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createUser, deleteUser, setDisabled, setServerAdmin } from '../../domain/users.ts';
import { setUserPassword } from '../../domain/user-passwords.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import * as S from './schemas.ts';
import { intParam } from './params.ts';

const tags = ['grafana: admin'];

export const adminUserRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.post(
    '/api/admin/users',
    {
      schema: {
        summary: 'Create a user (server admin); joins org 1 or orgId',
        tags,
        body: Type.Object({
          name: Type.Optional(Type.String()),
          email: Type.Optional(Type.String()),
          login: Type.Optional(Type.String()),
          password: Type.String({ minLength: 1 }),
          orgId: Type.Optional(Type.Integer()),
        }),
        response: { 200: Type.Object({ id: Type.Integer(), uid: Type.String(), message: Type.String() }) },
      },
      config: { errors: { 'user.exists': [412], 'password.too-short': [400, 'Password is missing or too short'] } },
    },
    async (req) => {
      const b = req.body;
      const user = await createUser(ctx, req.principal, { login: b.login, email: b.email, name: b.name, password: b.password, orgId: b.orgId || undefined });
      return { id: user.id, uid: user.uid, message: 'User created' };
    },
  );

  app.put(
    '/api/admin/users/:id/password',
    {
      schema: { summary: "Set a user's password (server admin)", tags, params: S.IdParam, body: Type.Object({ password: Type.String({ minLength: 1 }) }), response: { 200: S.Message } },
      config: { errors: { 'user.not-found': [404, 'Could not read user from database'] } },
    },
    async (req) => {
      await setUserPassword(ctx, req.principal, async () => intParam(req.params.id, 'id'), req.body.password);
      return { message: 'User password updated' };
    },
  );

  app.put(
    '/api/admin/users/:id/permissions',
    {
      schema: { summary: 'Grant or revoke server admin (server admin)', tags, params: S.IdParam, body: Type.Object({ isGrafanaAdmin: Type.Boolean() }), response: { 200: S.Message } },
      config: { errors: { 'user.not-found': [404, 'Failed to update user permissions'] } },
    },
    async (req) => {
      await setServerAdmin(ctx, req.principal, intParam(req.params.id, 'id'), req.body.isGrafanaAdmin);
      return { message: 'User permissions updated' };
    },
  );

  app.delete('/api/admin/users/:id', { schema: { summary: 'Delete a user (server admin)', tags, params: S.IdParam, response: { 200: S.Message } } }, async (req) => {
    await deleteUser(ctx, req.principal, intParam(req.params.id, 'id'));
    return { message: 'User deleted' };
  });

  for (const action of ['disable', 'enable'] as const) {
    app.post(
      `/api/admin/users/:id/${action}`,
      { schema: { summary: `${action === 'disable' ? 'Disable' : 'Enable'} a user (server admin)`, tags, params: S.IdParam, response: { 200: S.Message } } },
      async (req) => {
        await setDisabled(ctx, req.principal, intParam(req.params.id, 'id'), action === 'disable');
        return { message: action === 'disable' ? 'User disabled' : 'User enabled' };
      },
    );
  }
};
