// GET /events: the change-event feed (domain/event-feed.ts), oldest first from a cursor.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { invalid } from '../../domain/errors.ts';
import { readFeed } from '../../domain/event-feed.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { ErrorBody } from './schemas.ts';

const tags = ['roster: events'];

export const ChangeEventBody = Type.Object({
  id: Type.String({ description: 'The event id: the feed cursor, and the webhook-id of its deliveries' }),
  type: Type.String({ description: 'The audit action, e.g. member.role.update' }),
  timestamp: Type.String({ description: 'ISO-8601 time of the change' }),
  orgId: Type.Union([Type.Integer(), Type.Null()]),
  data: Type.Unknown({ description: 'objectType, objectId, orgId, actor, before, after (never secrets)' }),
});

const Query = Type.Object({
  after: Type.Optional(Type.String({ description: 'Cursor: events after this id (the `next` of the previous page); absent: from the oldest kept' })),
  types: Type.Optional(Type.String({ description: 'Comma-separated event types' })),
  orgId: Type.Optional(Type.String({ description: 'Only this org (org Admins: defaults to their current org)' })),
  limit: Type.Optional(Type.String({ description: '1-1000, default 100' })),
});

function int(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw invalid('param.invalid', `${name} must be an integer between ${min} and ${max}`, { field: name });
  return Number(value);
}

export const eventRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.get(
    '/events',
    {
      schema: {
        summary: 'Read change events in commit order from a cursor (server admins: all orgs; org Admins: their org)',
        tags,
        querystring: Query,
        response: { 200: Type.Object({ events: Type.Array(ChangeEventBody), next: Type.String({ description: 'Pass as `after` to resume' }) }), 410: ErrorBody },
      },
    },
    async (req) => {
      const q = req.query;
      const types = q.types
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      if (types && types.length > 100) throw invalid('param.invalid', 'types lists at most 100 types', { field: 'types' });
      return readFeed(ctx, req.principal, {
        after: int(q.after, 'after', 0, 2147483647),
        orgId: int(q.orgId, 'orgId', 1, 2147483647),
        types,
        limit: int(q.limit, 'limit', 1, 1000) ?? 100,
      });
    },
  );
};
