// Deleting a user row: the rule that no org is left without an Admin holds for every path
// (an admin deleting the user, or removing their last membership with deleteOrphan).
import { audit, type Actor } from './audit.ts';
import { lockOrg, type Ctx, type Db } from './context.ts';
import { invalid } from './errors.ts';
import { ensureOwner } from './org-ownership.ts';
import { userSnapshot } from './user-snapshot.ts';
import { orgIdsOfUser, orgWithSoleAdmin } from '../store/org-members.ts';
import { deleteUserById, findUserById } from '../store/users.ts';

/**
 * Deletes a user with memberships, team memberships, keys and sessions (cascades). Refused when
 * it would leave an org without an Admin.
 */
export async function deleteUserRow(ctx: Ctx, trx: Db, userId: number, actor: Actor = null): Promise<void> {
  // Lock the user's orgs (in id order, as every writer does), so concurrent membership changes
  // in them wait for this delete instead of racing the last-admin check below.
  for (const orgId of await orgIdsOfUser(trx, userId)) await lockOrg(ctx, trx, orgId);
  const soleAdminOf = await orgWithSoleAdmin(trx, userId);
  if (soleAdminOf) {
    throw invalid('user.sole-admin', `Cannot delete the last admin of organization "${soleAdminOf.name}"`);
  }
  const owned = await orgIdsOfUser(trx, userId, true);
  const user = await findUserById(trx, userId);
  await deleteUserById(trx, userId);
  if (user) await audit(trx, actor, { action: 'user.delete', objectType: 'user', objectId: userId, before: userSnapshot(user) });
  for (const orgId of owned) await ensureOwner(trx, orgId, actor);
}
