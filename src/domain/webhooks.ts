// Org webhooks (docs/events.md): org Admins and server admins register endpoints that receive
// the org's change events, signed per Standard Webhooks with a secret Roster makes; they read
// each endpoint's delivery log and send a delivery again.
import { randomBytes } from 'node:crypto';
import { audit } from './audit.ts';
import { inTransaction, lockLiveOrg, type Ctx } from './context.ts';
import { now } from './clock.ts';
import { invalid, notFound } from './errors.ts';
import { getOrg } from './orgs.ts';
import { authorize } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { checkWebhookUrl } from './webhook-url.ts';
import { lastEventSeq } from '../store/events.ts';
import * as store from '../store/webhooks.ts';
import type { WebhookDeliveryTable, WebhookTable } from '../store/schema.ts';
import type { Selectable } from 'kysely';

export interface Webhook {
  id: number;
  orgId: number;
  url: string;
  /** Empty: every event type. */
  eventTypes: string[];
  enabled: boolean;
  /** Why it was disabled by Roster (failing for too long); null when enabled or disabled by hand. */
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: number;
  eventId: string;
  eventType: string;
  createdAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
}

export interface WebhookInput {
  url?: string;
  eventTypes?: string[];
  enabled?: boolean;
}

const MAX_TYPES = 100;
const TYPE = /^[a-z0-9][a-z0-9.-]{0,99}$/;

function present(w: Selectable<WebhookTable>): Webhook {
  return {
    id: w.id,
    orgId: w.org_id,
    url: w.url,
    eventTypes: JSON.parse(w.event_types) as string[],
    enabled: !!w.enabled,
    disabledReason: w.disabled_reason,
    failingSince: w.failing_since,
    createdAt: w.created_at,
    updatedAt: w.updated_at,
  };
}

function presentDelivery(d: Selectable<WebhookDeliveryTable>): WebhookDelivery {
  return {
    id: d.id,
    eventId: String(d.event_id),
    eventType: d.event_type,
    createdAt: d.created_at,
    attempts: d.attempts,
    nextAttemptAt: d.delivered_at ? null : d.next_attempt_at,
    deliveredAt: d.delivered_at,
    lastAttemptAt: d.last_attempt_at,
    lastStatus: d.last_status,
    lastError: d.last_error,
  };
}

function eventTypesOf(types: string[] | undefined): string[] | undefined {
  if (types === undefined) return undefined;
  if (types.length > MAX_TYPES) throw invalid('webhook.event-types-invalid', `eventTypes lists at most ${MAX_TYPES} types`, { field: 'eventTypes' });
  const bad = types.find((t) => !TYPE.test(t));
  if (bad !== undefined) throw invalid('webhook.event-types-invalid', 'eventTypes must be event types such as member.role.update', { field: 'eventTypes' });
  return [...new Set(types)].sort();
}

/** A signing secret as Standard Webhooks writes them: whsec_ and base64 of 32 random bytes. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Org Admins of the org, and server admins; the org must exist. */
async function allowed(ctx: Ctx, p: Principal, orgId: number): Promise<void> {
  await authorize(ctx, p, 'orgs:write', orgId);
  await getOrg(ctx, orgId);
}

async function webhookIn(ctx: Ctx, orgId: number, id: number) {
  const w = await store.findWebhook(ctx.db, orgId, id);
  if (!w) throw notFound('webhook.not-found', 'Webhook not found');
  return w;
}

export async function listWebhooks(ctx: Ctx, p: Principal, orgId: number): Promise<Webhook[]> {
  await allowed(ctx, p, orgId);
  return (await store.webhooksOf(ctx.db, orgId)).map(present);
}

export async function getWebhook(ctx: Ctx, p: Principal, orgId: number, id: number): Promise<Webhook> {
  await allowed(ctx, p, orgId);
  return present(await webhookIn(ctx, orgId, id));
}

/** Registers an endpoint; its secret is answered here only. Events from now on are delivered. */
export async function createWebhook(ctx: Ctx, p: Principal, orgId: number, input: WebhookInput & { url: string }): Promise<Webhook & { secret: string }> {
  await allowed(ctx, p, orgId);
  const url = await checkWebhookUrl(input.url, ctx.settings.webhookAllowPrivate);
  const eventTypes = eventTypesOf(input.eventTypes) ?? [];
  const secret = newSecret();
  const row = await inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, orgId);
    const ts = now();
    const created = await store.insertWebhook(trx, {
      org_id: orgId,
      url,
      event_types: JSON.stringify(eventTypes),
      secret: ctx.secretBox.seal(secret),
      enabled: input.enabled === false ? 0 : 1,
      from_event_id: await lastEventSeq(trx),
      created_at: ts,
      updated_at: ts,
    });
    await audit(trx, p, { action: 'webhook.create', objectType: 'webhook', objectId: created.id, orgId, after: { url, eventTypes, enabled: !!created.enabled } });
    return created;
  });
  return { ...present(row), secret };
}

export async function updateWebhook(ctx: Ctx, p: Principal, orgId: number, id: number, input: WebhookInput): Promise<Webhook> {
  await allowed(ctx, p, orgId);
  const url = input.url === undefined ? undefined : await checkWebhookUrl(input.url, ctx.settings.webhookAllowPrivate);
  const eventTypes = eventTypesOf(input.eventTypes);
  return inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, orgId);
    const before = await store.findWebhook(trx, orgId, id);
    if (!before) throw notFound('webhook.not-found', 'Webhook not found');
    const set = {
      ...(url !== undefined ? { url } : {}),
      ...(eventTypes !== undefined ? { event_types: JSON.stringify(eventTypes) } : {}),
      // Enabling again starts a new run: the failure clock and Roster's reason are cleared.
      ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0, disabled_reason: null, failing_since: null } : {}),
      // Enabled again: events from now on (those queued before it was disabled stay queued).
      ...(input.enabled && !before.enabled ? { from_event_id: await lastEventSeq(trx) } : {}),
    };
    const changed = Object.entries(set).some(([k, v]) => (before as Record<string, unknown>)[k] !== v);
    if (!changed) return present(before);
    const after = await store.updateWebhook(trx, id, { ...set, updated_at: now() });
    const snap = (w: Webhook) => ({ url: w.url, eventTypes: w.eventTypes, enabled: w.enabled });
    await audit(trx, p, { action: 'webhook.update', objectType: 'webhook', objectId: id, orgId, before: snap(present(before)), after: snap(present(after)) });
    return present(after);
  });
}

export async function deleteWebhook(ctx: Ctx, p: Principal, orgId: number, id: number): Promise<void> {
  await allowed(ctx, p, orgId);
  await inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, orgId);
    const w = await store.findWebhook(trx, orgId, id);
    if (!w) throw notFound('webhook.not-found', 'Webhook not found');
    await store.deleteWebhook(trx, id);
    await audit(trx, p, { action: 'webhook.delete', objectType: 'webhook', objectId: id, orgId, before: { url: w.url, eventTypes: JSON.parse(w.event_types) as string[] } });
  });
}

/** An endpoint's delivery log, newest first. */
export async function listDeliveries(ctx: Ctx, p: Principal, orgId: number, id: number, q: { before?: number; limit: number }): Promise<WebhookDelivery[]> {
  await allowed(ctx, p, orgId);
  await webhookIn(ctx, orgId, id);
  return (await store.deliveriesOf(ctx.db, id, q.before, q.limit)).map(presentDelivery);
}

/** Queues a delivered (or stuck) event again for its endpoint, behind what is queued already. */
export async function resendDelivery(ctx: Ctx, p: Principal, orgId: number, deliveryId: number): Promise<WebhookDelivery> {
  await allowed(ctx, p, orgId);
  const row = await inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, orgId);
    const d = await store.findOrgDelivery(trx, orgId, deliveryId);
    if (!d) throw notFound('webhook.delivery-not-found', 'Delivery not found');
    const ts = now();
    const again = await store.insertDelivery(trx, { webhook_id: d.webhook_id, event_id: d.event_id, event_type: d.event_type, payload: d.payload, created_at: ts, next_attempt_at: ts });
    await audit(trx, p, { action: 'webhook.delivery.resend', objectType: 'webhook', objectId: d.webhook_id, orgId, after: { deliveryId: again.id, of: d.id, eventId: String(d.event_id) } });
    return again;
  });
  ctx.webhooksQueued?.();
  return presentDelivery(row);
}
