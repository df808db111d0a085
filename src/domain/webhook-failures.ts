// An endpoint failing for longer than the retry window is disabled, and its org's Admins are told
// by mail (the outbox, in the same transaction). docs/events.md.
import { audit } from './audit.ts';
import { now } from './clock.ts';
import type { Db } from './context.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { webhookDisabledMessage } from '../mail/messages.ts';
import { findOrgById } from '../store/orgs.ts';
import { orgAdminEmails, updateWebhook } from '../store/webhooks.ts';

export async function disableFailingWebhook(trx: Db, w: { id: number; org_id: number; url: string; failing_since: string }, lastError: string): Promise<void> {
  const reason = `failing since ${w.failing_since}: ${lastError}`.slice(0, 500);
  await updateWebhook(trx, w.id, { enabled: 0, disabled_reason: reason, updated_at: now() });
  // Roster itself acts here (no principal): recorded as the system.
  await audit(trx, null, { action: 'webhook.disable', objectType: 'webhook', objectId: w.id, orgId: w.org_id, before: { enabled: true }, after: { enabled: false, reason } });
  const org = await findOrgById(trx, w.org_id);
  for (const to of await orgAdminEmails(trx, w.org_id)) {
    await enqueueMail(trx, webhookDisabledMessage(to, { orgName: org?.name ?? `#${w.org_id}`, url: w.url, failingSince: w.failing_since, lastError }));
  }
}
