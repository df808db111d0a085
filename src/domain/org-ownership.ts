// Every org with Admins has an owner among them: when the last owner is demoted or removed,
// ownership passes to the longest-standing Admin.
import { audit, type Actor } from './audit.ts';
import type { Db } from './context.ts';
import { findOwner, longestStandingAdmin, makeOwner } from '../store/org-members.ts';

export async function ensureOwner(trx: Db, orgId: number, actor: Actor = null): Promise<void> {
  if (await findOwner(trx, orgId)) return;
  const heir = await longestStandingAdmin(trx, orgId);
  if (heir) {
    await makeOwner(trx, orgId, heir.user_id);
    await audit(trx, actor, { action: 'member.owner.inherit', objectType: 'member', objectId: `${orgId}:${heir.user_id}`, orgId, before: { isOwner: false }, after: { isOwner: true } });
  }
}
