// What an audited change becomes in the change-event outbox (docs/events.md). The event type is
// the audit action: one vocabulary for the trail, the feed and webhooks, so a change that is
// audited is an event without any further code.
import { appendEvent } from '../store/events.ts';
import type { Db } from '../store/db.ts';

/**
 * Audited actions that change nothing in the directory (sign-ins and their failures, sessions,
 * requests that wait for a mailed link, a user's UI state): audited, but no event.
 */
export const NOT_EVENTS: ReadonlySet<string> = new Set([
  'user.login.failed',
  'user.logout',
  'user.session.revoke',
  'user.sso.login',
  'user.sso.login.failed',
  'user.password.reset-request',
  'user.password.reset-failed',
  'user.email.change-request',
  'user.2fa.recovery-code-used',
  'user.current-org.switch',
  'user.help-flags.set',
  'user.help-flags.clear',
  // Operations on delivery itself: a resend is not a change of the directory.
  'webhook.delivery.resend',
]);

/** Keys whose values are or lead to credentials: removed from every payload, at any depth. */
const SECRET_KEY = /pass(word|phrase)?$|secret|hash|^(api)?key$|token$|^codes?$|recovery|sensitive|totp|otp$/i;

/** A copy of `value` without the keys SECRET_KEY names. The one place payloads are made safe. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!SECRET_KEY.test(k)) out[k] = withoutSecrets(v);
  return out;
}

export interface ChangeActor {
  kind: string;
  userId: number | null;
  serviceAccountId: number | null;
  login: string;
}

export interface Change {
  action: string;
  objectType: string;
  objectId: string | number;
  orgId?: number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends the event of an audited change in its transaction (none for NOT_EVENTS). */
export function recordChange(trx: Db, at: string, actor: ChangeActor, c: Change): Promise<void> {
  if (NOT_EVENTS.has(c.action)) return Promise.resolve();
  const data = {
    objectType: c.objectType,
    objectId: String(c.objectId),
    orgId: c.orgId ?? null,
    actor,
    before: withoutSecrets(c.before ?? null),
    after: withoutSecrets(c.after ?? null),
  };
  return appendEvent(trx, { at, type: c.action, org_id: c.orgId ?? null, data: JSON.stringify(data) });
}
