// Org webhooks (domain/webhooks.ts): CRUD, the delivery log and resend, for org Admins and
// server admins. The signing secret is answered once, when the webhook is created.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { invalid, notFound } from '../../domain/errors.ts';
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, resendDelivery, updateWebhook } from '../../domain/webhooks.ts';
import { MAX_WEBHOOK_URL } from '../../domain/webhook-url.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { INT4_MAX } from '../../http/id-range.ts';

const tags = ['roster: webhooks'];

const WebhookOut = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String(), { description: 'Empty: every event type' }),
  enabled: Type.Boolean(),
  disabledReason: Type.Union([Type.String(), Type.Null()], { description: 'Set when Roster disabled the webhook after failing deliveries for a day' }),
  failingSince: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const DeliveryOut = Type.Object({
  id: Type.Integer(),
  eventId: Type.String({ description: 'The event (feed cursor and webhook-id header)' }),
  eventType: Type.String(),
  createdAt: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
  lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: "The receiver's HTTP status of the last attempt" }),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

const EventTypes = Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100, description: 'Event types to receive (the audit actions, e.g. member.role.update); empty or absent: all' });
const CreateBody = Type.Object(
  {
    url: Type.String({ maxLength: MAX_WEBHOOK_URL, description: 'http(s) URL; private, loopback and link-local addresses are refused unless ROSTER_WEBHOOK_ALLOW_PRIVATE' }),
    eventTypes: Type.Optional(EventTypes),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(CreateBody, { additionalProperties: false });

const OrgParams = Type.Object({ orgId: Type.String({ description: 'Org id' }) });
const HookParams = Type.Object({ orgId: Type.String({ description: 'Org id' }), webhookId: Type.String() });
const DeliveryParams = Type.Object({ orgId: Type.String({ description: 'Org id' }), deliveryId: Type.String() });

/** A path id: digits in range, else the resource's not-found. */
function idOf(value: string, missing: () => Error): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) < 1 || Number(value) > INT4_MAX) throw missing();
  return Number(value);
}
const orgIdOf = (v: string) => idOf(v, () => notFound('org.not-found', 'Organization not found'));
const hookIdOf = (v: string) => idOf(v, () => notFound('webhook.not-found', 'Webhook not found'));
const deliveryIdOf = (v: string) => idOf(v, () => notFound('webhook.delivery-not-found', 'Delivery not found'));

export const webhookRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.get('/orgs/:orgId/webhooks', { schema: { summary: "An org's webhooks (org Admins and server admins)", tags, params: OrgParams, response: { 200: Type.Array(WebhookOut) } } }, async (req) =>
    listWebhooks(ctx, req.principal, orgIdOf(req.params.orgId)),
  );

  app.post(
    '/orgs/:orgId/webhooks',
    {
      schema: {
        summary: 'Register a webhook; the answer carries its signing secret (whsec_...), shown only here',
        tags,
        params: OrgParams,
        body: CreateBody,
        response: { 201: Type.Intersect([WebhookOut, Type.Object({ secret: Type.String({ description: 'Standard Webhooks signing secret' }) })]) },
      },
    },
    async (req, reply) => reply.code(201).send(await createWebhook(ctx, req.principal, orgIdOf(req.params.orgId), req.body)),
  );

  app.get('/orgs/:orgId/webhooks/:webhookId', { schema: { summary: 'A webhook', tags, params: HookParams, response: { 200: WebhookOut } } }, async (req) =>
    getWebhook(ctx, req.principal, orgIdOf(req.params.orgId), hookIdOf(req.params.webhookId)),
  );

  app.patch(
    '/orgs/:orgId/webhooks/:webhookId',
    { schema: { summary: 'Change a webhook (url, eventTypes, enabled: true also re-enables one Roster disabled)', tags, params: HookParams, body: PatchBody, response: { 200: WebhookOut } } },
    async (req) => updateWebhook(ctx, req.principal, orgIdOf(req.params.orgId), hookIdOf(req.params.webhookId), req.body),
  );

  app.delete('/orgs/:orgId/webhooks/:webhookId', { schema: { summary: 'Delete a webhook and its delivery log', tags, params: HookParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    await deleteWebhook(ctx, req.principal, orgIdOf(req.params.orgId), hookIdOf(req.params.webhookId));
    return reply.code(204).send(null);
  });

  app.get(
    '/orgs/:orgId/webhooks/:webhookId/deliveries',
    {
      schema: {
        summary: "A webhook's delivery log, newest first",
        tags,
        params: HookParams,
        querystring: Type.Object({
          before: Type.Optional(Type.String({ description: 'Cursor: deliveries older than this id' })),
          limit: Type.Optional(Type.String({ description: '1-500, default 100' })),
        }),
        response: { 200: Type.Object({ deliveries: Type.Array(DeliveryOut), next: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
      if (!/^\d{1,3}$/.test(req.query.limit ?? '100') || limit < 1 || limit > 500) throw invalid('param.invalid', 'limit must be an integer between 1 and 500', { field: 'limit' });
      const before = req.query.before;
      if (before !== undefined && !/^\d{1,10}$/.test(before)) throw invalid('param.invalid', 'before must be a delivery id', { field: 'before' });
      const deliveries = await listDeliveries(ctx, req.principal, orgIdOf(req.params.orgId), hookIdOf(req.params.webhookId), {
        before: before === undefined ? undefined : Math.min(Number(before), INT4_MAX),
        limit,
      });
      return { deliveries, next: deliveries.length === limit ? String(deliveries[deliveries.length - 1].id) : null };
    },
  );

  app.post(
    '/orgs/:orgId/webhook-deliveries/:deliveryId/resend',
    { schema: { summary: "Send a delivery's event again (queued behind the endpoint's pending deliveries)", tags, params: DeliveryParams, response: { 202: DeliveryOut } } },
    async (req, reply) => reply.code(202).send(await resendDelivery(ctx, req.principal, orgIdOf(req.params.orgId), deliveryIdOf(req.params.deliveryId))),
  );
};
