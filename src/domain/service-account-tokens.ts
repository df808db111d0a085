// Service-account tokens (glsa_...): only a keyed hash is stored; the secret is shown once, at
// creation. A token acts in its service account's org with its role (http/auth.ts), and a
// deleted row stops authenticating with the next request.
import { audit } from './audit.ts';
import { authorize } from './policy/index.ts';
import { inTransaction, lockLiveOrg, type Ctx } from './context.ts';
import { conflict, invalid, notFound } from './errors.ts';
import type { Principal } from './principal.ts';
import { newServiceAccountToken } from './secrets.ts';
import { findServiceAccount, saResource } from './service-accounts.ts';
import { limitLength } from './limits.ts';
import * as tokensStore from '../store/tokens.ts';
import { checkOrgQuota, readOrgQuota } from './quotas.ts';

export interface ServiceAccountToken {
  id: number;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

async function serviceAccountIn(ctx: Ctx, p: Principal, id: number) {
  const sa = await findServiceAccount(ctx.db, p.orgId, id);
  if (!sa) throw notFound('sa.not-found', 'service account not found');
  return sa;
}

/**
 * Grafana answers 200 [] for any id it has no tokens under in the caller's org. Roster answers
 * 404, as for the account itself, so another org's account is never treated as a readable
 * object of this one; an unknown id answers the same, so ids in other orgs cannot be told apart.
 */
export async function listServiceAccountTokens(ctx: Ctx, p: Principal, saId: number): Promise<ServiceAccountToken[]> {
  await authorize(ctx, p, 'serviceaccounts:read', p.orgId, saResource(saId));
  await serviceAccountIn(ctx, p, saId);
  return tokensStore.serviceAccountTokens(ctx.db, p.orgId, saId);
}

/** Creates a token; `secondsToLive` 0 never expires. Names are unique among the org's tokens. */
export async function createServiceAccountToken(ctx: Ctx, p: Principal, saId: number, input: { name: string; secondsToLive?: number }): Promise<{ id: number; name: string; key: string }> {
  await authorize(ctx, p, 'serviceaccounts:write', p.orgId, saResource(saId));
  const sa = await serviceAccountIn(ctx, p, saId);
  if (typeof input.name !== 'string' || input.name === '') throw invalid('sa.token-name-required', 'Bad request data');
  limitLength('token.name', input.name, 'name');
  const seconds = input.secondsToLive ?? 0;
  if (seconds < 0) throw invalid('sa.token-expiration', 'invalid SecondsToLive value');
  const key = newServiceAccountToken();
  const ts = new Date();
  const row = await inTransaction(ctx, async (trx) => {
    // The org lock makes the name check and the insert one step under concurrent requests.
    const [, quota] = await Promise.all([lockLiveOrg(ctx, trx, sa.org_id), readOrgQuota(trx, sa.org_id, 'api_key')]);
    // The account may have been deleted since it was read above.
    if (!(await findServiceAccount(trx, sa.org_id, sa.id))) throw notFound('sa.not-found', 'service account not found');
    await checkOrgQuota(ctx, trx, sa.org_id, 'api_key', 'exclusive', quota);
    if (await tokensStore.serviceAccountTokenNamed(trx, sa.org_id, input.name)) throw conflict('sa.token-exists', 'service account token with given name already exists in the organization');
    const token = await tokensStore.insertToken(trx, {
      kind: 'sa',
      hash: ctx.hasher.hash(key),
      org_id: sa.org_id,
      service_account_id: sa.id,
      user_id: null,
      name: input.name,
      mask: `glsa_...${key.slice(-4)}`,
      scopes: null,
      scoped_orgs: null,
      created_at: ts.toISOString(),
      expires_at: seconds > 0 ? new Date(ts.getTime() + seconds * 1000).toISOString() : null,
    });
    await audit(trx, p, {
      action: 'token.create',
      objectType: 'token',
      objectId: token.id,
      orgId: sa.org_id,
      after: { kind: 'sa', serviceAccountId: sa.id, name: token.name, expiresAt: token.expires_at },
    });
    return token;
  });
  return { id: row.id, name: row.name, key };
}

export async function deleteServiceAccountToken(ctx: Ctx, p: Principal, saId: number, tokenId: number): Promise<void> {
  await authorize(ctx, p, 'serviceaccounts:write', p.orgId, saResource(saId));
  const sa = await serviceAccountIn(ctx, p, saId);
  await inTransaction(ctx, async (trx) => {
    if ((await tokensStore.deleteServiceAccountToken(trx, sa.org_id, sa.id, tokenId)) === 0) throw notFound('sa.token-not-found', 'Failed to delete service account token');
    await audit(trx, p, { action: 'token.revoke', objectType: 'token', objectId: tokenId, orgId: sa.org_id, before: { kind: 'sa', serviceAccountId: sa.id } });
  });
}

/** Grafana's token view: expiry as seconds from now, 0 when none or past. */
export function tokenStatus(t: ServiceAccountToken, nowMs = Date.now()) {
  const expires = t.expiresAt ? Date.parse(t.expiresAt) : null;
  const hasExpired = expires !== null && expires <= nowMs;
  return { hasExpired, secondsUntilExpiration: expires !== null && !hasExpired ? (expires - nowMs) / 1000 : 0, isRevoked: !!t.revokedAt };
}
