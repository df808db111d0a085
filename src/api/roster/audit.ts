// The audit trail: server admins read everything, org Admins their org's events. Newest first,
// paged by cursor (`before` = the last id seen), so deep pages cost the same as the first.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { invalid } from '../../domain/errors.ts';
import { listAudit } from '../../domain/audit.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { ErrorBody } from './schemas.ts';

const tags = ['roster: audit'];

const Event = Type.Object({
  id: Type.Integer(),
  at: Type.String({ description: 'ISO-8601 time of the change' }),
  actor: Type.Object({
    kind: Type.String({ description: 'user, service-account, personal-key or system' }),
    userId: Type.Union([Type.Integer(), Type.Null()]),
    serviceAccountId: Type.Union([Type.Integer(), Type.Null()]),
    tokenId: Type.Union([Type.Integer(), Type.Null()]),
    login: Type.String(),
  }),
  face: Type.String({ description: 'grafana, oncall, posthog, roster, cli, console or system' }),
  requestId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
  orgId: Type.Union([Type.Integer(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

const Query = Type.Object({
  orgId: Type.Optional(Type.String({ description: 'Only this org (org Admins: defaults to their current org)' })),
  action: Type.Optional(Type.String()),
  objectType: Type.Optional(Type.String()),
  objectId: Type.Optional(Type.String()),
  actorUserId: Type.Optional(Type.String()),
  face: Type.Optional(Type.String()),
  before: Type.Optional(Type.String({ description: 'Cursor: events older than this id' })),
  limit: Type.Optional(Type.String({ description: '1-500, default 100' })),
});

function intOrUndefined(value: string | undefined, name: string, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw invalid('param.invalid', `${name} must be an integer between ${min} and ${max}`, { field: name });
  }
  return Number(value);
}

export const auditRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.get(
    '/audit',
    {
      schema: {
        summary: 'Read the audit trail (server admins: all; org Admins: their org), newest first',
        tags,
        querystring: Query,
        response: { 200: Type.Object({ events: Type.Array(Event), next: Type.Union([Type.String(), Type.Null()]) }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (req) => {
      const q = req.query;
      const limit = intOrUndefined(q.limit, 'limit', 1, 500) ?? 100;
      const events = await listAudit(ctx, req.principal, {
        orgId: intOrUndefined(q.orgId, 'orgId'),
        action: q.action,
        objectType: q.objectType,
        objectId: q.objectId,
        actorUserId: intOrUndefined(q.actorUserId, 'actorUserId'),
        face: q.face,
        before: intOrUndefined(q.before, 'before'),
        limit,
      });
      const next = events.length === limit ? String(events[events.length - 1].id) : null;
      return { events, next };
    },
  );
};
