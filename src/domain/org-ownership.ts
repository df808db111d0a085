// Every org with Admins has an owner among them: when the last owner is demoted or removed,
// ownership passes to the longest-standing Admin.
import { audit, type Actor } from './audit.ts';
import type { Commit, Db } from './context.ts';
import { findOwner, longestStandingAdmin, makeOwner } from '../store/org-members.ts';

/** What the rule decides on: read in one go, after the change that may have ended the ownership. */
export interface Ownership {
  owner: { user_id: number } | undefined;
  heir: { user_id: number } | undefined;
}

export async function readOwnership(trx: Db, orgId: number): Promise<Ownership> {
  const [owner, heir] = await Promise.all([findOwner(trx, orgId), longestStandingAdmin(trx, orgId)]);
  return { owner, heir };
}

/** Passes ownership on if `seen` shows none; `commit` (if given) ends the transaction with these writes. */
export async function settleOwnership(trx: Db, orgId: number, seen: Ownership, actor: Actor = null, commit?: Commit): Promise<void> {
  const { owner, heir } = seen;
  const writes: Promise<unknown>[] = [];
  if (!owner && heir) {
    writes.push(
      makeOwner(trx, orgId, heir.user_id),
      audit(trx, actor, { action: 'member.owner.inherit', objectType: 'member', objectId: `${orgId}:${heir.user_id}`, orgId, before: { isOwner: false }, after: { isOwner: true } }),
    );
  }
  if (commit) writes.push(commit());
  await Promise.all(writes);
}

export async function ensureOwner(trx: Db, orgId: number, actor: Actor = null): Promise<void> {
  await settleOwnership(trx, orgId, await readOwnership(trx, orgId), actor);
}
