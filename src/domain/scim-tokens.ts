// SCIM tokens (docs/scim.md): the bearer credential an identity provider provisions one org with.
// Made and revoked by that org's Admins (or server admins, and the CLI); the secret is shown once
// and only its keyed hash is stored, like every other token.
import { randomBytes } from 'node:crypto';
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, lockLiveOrg, type Ctx } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { limitLength } from './limits.ts';
import { authorize } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { findOrgById } from '../store/orgs.ts';
import { insertScimToken, revokeScimTokenRow, scimTokensOf } from '../store/scim.ts';

const PREFIX = 'rscim_';

export function isScimToken(token: string): boolean {
  return token.startsWith(PREFIX);
}

export interface ScimToken {
  id: number;
  orgId: number;
  name: string;
  mask: string;
  createdBy: number | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Org Admins and server admins only: a service account, a key or a SCIM token cannot mint one. */
async function authorizeTokens(ctx: Ctx, p: Principal, orgId: number): Promise<void> {
  await authorize(ctx, p, 'orgs:write', orgId);
  if (p.kind !== 'user') throw forbidden('orgs:write');
  if (!(await findOrgById(ctx.db, orgId))) throw notFound('org.not-found', 'Organization not found');
}

export async function listScimTokens(ctx: Ctx, p: Principal, orgId: number): Promise<ScimToken[]> {
  await authorizeTokens(ctx, p, orgId);
  return scimTokensOf(ctx.db, orgId);
}

export async function createScimToken(ctx: Ctx, p: Principal, orgId: number, input: { name?: string }): Promise<{ token: ScimToken; value: string }> {
  await authorizeTokens(ctx, p, orgId);
  const name = limitLength('token.name', (input.name ?? '').trim() || 'SCIM', 'name');
  const value = PREFIX + randomBytes(32).toString('base64url');
  const ts = now();
  const mask = `${PREFIX}...${value.slice(-4)}`;
  const id = await inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, orgId);
    const row = await insertScimToken(trx, { org_id: orgId, hash: ctx.hasher.hash(value), name, mask, created_by: p.userId, created_at: ts });
    await audit(trx, p, { action: 'scim-token.create', objectType: 'scim-token', objectId: row.id, orgId, after: { name } });
    return row.id;
  });
  return { token: { id, orgId, name, mask, createdBy: p.userId, createdAt: ts, lastUsedAt: null, revokedAt: null }, value };
}

/** A revoked token answers 401 at once: every write drops the memoized credentials (http/memo). */
export async function revokeScimToken(ctx: Ctx, p: Principal, orgId: number, tokenId: number): Promise<void> {
  await authorizeTokens(ctx, p, orgId);
  await inTransaction(ctx, async (trx) => {
    if ((await revokeScimTokenRow(trx, orgId, tokenId, now())) === 0) throw notFound('scim-token.not-found', 'SCIM token not found');
    await audit(trx, p, { action: 'scim-token.revoke', objectType: 'scim-token', objectId: tokenId, orgId });
  });
}
