// Service accounts of the current organization and their tokens: /api/serviceaccounts...
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { isDomainError } from '../../domain/errors.ts';
import { createServiceAccountToken, deleteServiceAccountToken, listServiceAccountTokens } from '../../domain/service-account-tokens.ts';
import { createServiceAccount, deleteServiceAccount, getServiceAccount, searchServiceAccounts, serviceAccountAccess, updateServiceAccount } from '../../domain/service-accounts.ts';
import type { Principal } from '../../domain/principal.ts';
import { errutil, sendGrafanaError } from './errors.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import * as S from './schemas.ts';
import { intParam } from './params.ts';
import { grafanaPage } from '../../http/paging/grafana-pages.ts';
import {
  NewTokenSchema,
  ServiceAccountProfileSchema,
  ServiceAccountSchema,
  ServiceAccountSearchSchema,
  serviceAccountDto,
  serviceAccountProfile,
  TokenSchema,
  tokenDto,
} from './service-account-presenter.ts';

const tags = ['grafana: service accounts'];
// The service-account handlers word their binding error with a capital B.
const config = { badRequest: 'Bad request data' };

/** Codes Grafana's service-account package answers with errutil bodies: [status, messageId]. */
const ERRUTIL: Record<string, [number, string]> = {
  'sa.not-found': [404, 'serviceaccounts.ErrNotFound'],
  'sa.exists': [400, 'serviceaccounts.ErrAlreadyExists'],
  'sa.role-invalid': [400, 'serviceaccounts.ErrInvalidRoleSpecified'],
  'sa.role-ceiling': [403, 'serviceaccounts.ErrRoleForbidden'],
  'sa.token-exists': [400, 'serviceaccounts.ErrTokenAlreadyExists'],
  'sa.token-expiration': [400, 'serviceaccounts.ErrInvalidInput'],
};

const IdParam = S.IdParam;
const TokenParams = Type.Object({ id: Type.String(), tokenId: Type.String() });
const AccessQuery = Type.Object({ accesscontrol: Type.Optional(Type.String()) });
const SearchQuery = Type.Object({
  query: Type.Optional(Type.String()),
  perpage: Type.Optional(Type.String()),
  page: Type.Optional(Type.String()),
  disabled: Type.Optional(Type.String()),
  expiredTokens: Type.Optional(Type.String()),
  accesscontrol: Type.Optional(Type.String()),
});
const Message = Type.Object({ message: Type.String() });

const saId = (value: string) => intParam(value, 'Service Account ID');

export const serviceAccountRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.setErrorHandler((err, req, reply) => {
    const mapped = isDomainError(err) ? ERRUTIL[err.code] : undefined;
    if (mapped) return reply.code(mapped[0]).send(errutil(mapped[0], mapped[1], (err as Error).message));
    return sendGrafanaError(req, reply, err);
  });
  const access = async (p: Principal, wanted: string | undefined) => (wanted === 'true' ? serviceAccountAccess(ctx, p) : undefined);

  app.get(
    '/api/serviceaccounts/search',
    {
      schema: { summary: 'Search the service accounts of the current organization, paged', tags, querystring: SearchQuery, response: { 200: ServiceAccountSearchSchema } },
      config: { ...config, memoize: true },
    },
    async (req) => {
      const paging = grafanaPage(req.query);
      const { total, serviceAccounts } = await searchServiceAccounts(ctx, req.principal, {
        query: req.query.query,
        disabled: req.query.disabled === 'true',
        expiredTokens: req.query.expiredTokens === 'true',
        limit: paging.limit,
        offset: paging.offset,
      });
      const acl = await access(req.principal, req.query.accesscontrol);
      return { totalCount: total, serviceAccounts: serviceAccounts.map((sa) => serviceAccountDto(sa, acl)), page: paging.page, perPage: paging.perPage };
    },
  );

  app.post(
    '/api/serviceaccounts',
    {
      schema: {
        summary: "Create a service account (role no higher than the caller's)",
        tags,
        body: Type.Object({ name: Type.String({ minLength: 1 }), role: Type.Optional(Type.Unknown()), isDisabled: Type.Optional(Type.Boolean()) }),
        response: { 201: ServiceAccountSchema },
      },
      config,
    },
    async (req, reply) => {
      const sa = await createServiceAccount(ctx, req.principal, req.body);
      return reply.code(201).send(serviceAccountDto(sa));
    },
  );

  app.get(
    '/api/serviceaccounts/:id',
    { schema: { summary: 'Get a service account', tags, params: IdParam, querystring: AccessQuery, response: { 200: ServiceAccountProfileSchema } }, config },
    async (req) => {
      const sa = await getServiceAccount(ctx, req.principal, saId(req.params.id));
      return serviceAccountProfile(sa, await access(req.principal, req.query.accesscontrol));
    },
  );

  app.patch(
    '/api/serviceaccounts/:id',
    {
      schema: {
        summary: "Update a service account's name, role or disabled flag",
        tags,
        params: IdParam,
        body: Type.Object({ name: Type.Optional(Type.String()), role: Type.Optional(Type.Unknown()), isDisabled: Type.Optional(Type.Boolean()) }),
        response: {
          200: Type.Object({ message: Type.String(), id: Type.Integer(), name: Type.String(), serviceaccount: ServiceAccountProfileSchema }),
        },
      },
      config,
    },
    async (req) => {
      const sa = await updateServiceAccount(ctx, req.principal, saId(req.params.id), req.body ?? {});
      return { message: 'Service account updated', id: sa.id, name: sa.name, serviceaccount: serviceAccountProfile(sa) };
    },
  );

  app.delete('/api/serviceaccounts/:id', { schema: { summary: 'Delete a service account and its tokens', tags, params: IdParam, response: { 200: Message } }, config }, async (req) => {
    await deleteServiceAccount(ctx, req.principal, saId(req.params.id));
    return { message: 'Service account deleted' };
  });

  app.get(
    '/api/serviceaccounts/:id/tokens',
    { schema: { summary: "List a service account's tokens (never their secrets)", tags, params: IdParam, response: { 200: Type.Array(TokenSchema) } }, config },
    async (req) => (await listServiceAccountTokens(ctx, req.principal, saId(req.params.id))).map(tokenDto),
  );

  app.post(
    '/api/serviceaccounts/:id/tokens',
    {
      schema: {
        summary: 'Create a token; its glsa_ secret is shown only in this response',
        tags,
        params: IdParam,
        body: Type.Object({ name: Type.String({ minLength: 1 }), secondsToLive: Type.Optional(Type.Integer()) }),
        response: { 200: NewTokenSchema },
      },
      config,
    },
    async (req) => createServiceAccountToken(ctx, req.principal, saId(req.params.id), req.body),
  );

  app.delete(
    '/api/serviceaccounts/:id/tokens/:tokenId',
    { schema: { summary: 'Delete a token; it stops working at once', tags, params: TokenParams, response: { 200: Message } }, config },
    async (req) => {
      const id = saId(req.params.id);
      await deleteServiceAccountToken(ctx, req.principal, id, intParam(req.params.tokenId, 'Token ID'));
      return { message: 'Service account token deleted' };
    },
  );
};
