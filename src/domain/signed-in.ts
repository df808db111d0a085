// Who GET /api/user describes: the signed-in user, or (Grafana's GetSignedInUser for any other
// identity) the service account a token belongs to.
import { notFound } from './errors.ts';
import type { Ctx } from './context.ts';
import type { Principal } from './principal.ts';
import { findServiceAccount, type ServiceAccount } from './service-accounts.ts';
import { readUser, type User } from './users.ts';

export type SignedIn = { kind: 'user'; user: User } | { kind: 'service-account'; account: ServiceAccount };

export async function signedIn(ctx: Ctx, p: Principal): Promise<SignedIn> {
  if (p.kind === 'service-account' && p.serviceAccountId !== null) {
    const account = await findServiceAccount(ctx.db, p.orgId, p.serviceAccountId);
    if (!account) throw notFound('sa.not-found', 'service account not found');
    return { kind: 'service-account', account };
  }
  return { kind: 'user', user: await readUser(ctx, p, 'self') };
}
