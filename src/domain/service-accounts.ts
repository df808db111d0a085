// Service accounts: non-human identities of one org with one role; they act through tokens
// (service-account-tokens.ts). Every lookup is scoped by the caller's org.
import { audit } from './audit.ts';
import { authorize, can, isRole, resourceScope, roleIn, roleIncludes, type OrgAction, type Resource, type Role } from './policy/index.ts';
import { deleteResourceScope } from '../store/access-control.ts';
import { now } from './clock.ts';
import { inTransaction, lockLiveOrg, type Ctx, type Db } from './context.ts';
import { conflict, forbidden, invalid, notFound } from './errors.ts';
import { grafanaUid } from './ids.ts';
import type { Principal } from './principal.ts';
import type { ServiceAccountRow } from '../store/schema.ts';
import { isUniqueViolation } from '../store/errors.ts';
import * as accountsStore from '../store/service-accounts.ts';
import { limitLength } from './limits.ts';
import { checkOrgQuota, readOrgQuota } from './quotas.ts';

export interface ServiceAccount extends ServiceAccountRow {
  /** Number of tokens. */
  tokens: number;
}

const notFoundError = () => notFound('sa.not-found', 'service account not found');
const existsError = () => conflict('sa.exists', 'service account already exists');

/**
 * Grafana 11+: "sa-<orgId>-<name lowercased>", one "--" collapsed, spaces as hyphens. The org id
 * keeps equal names in different orgs apart, since logins are unique server-wide.
 */
export function serviceAccountLogin(orgId: number, name: string): string {
  return `sa-${orgId}-${name.toLowerCase()}`.replace('--', '-').replaceAll(' ', '-');
}

function validateRole(role: unknown): Role {
  if (!isRole(role)) throw invalid('sa.role-invalid', 'invalid role specified');
  return role;
}

/** A caller can give a service account no more than their own role in the org. */
async function checkRoleCeiling(ctx: Ctx, p: Principal, role: Role): Promise<void> {
  const own = await roleIn(ctx, p, p.orgId);
  if (!own || !roleIncludes(own, role)) {
    throw forbidden('serviceaccounts:write', "can not assign a role higher than user's role", 'sa.role-ceiling');
  }
}

/** A service account of one org, or undefined; the org is part of the query. */
export async function findServiceAccount(db: Db, orgId: number, id: number): Promise<ServiceAccount | undefined> {
  return accountsStore.findServiceAccountIn(db, orgId, id);
}

/** The object a check on one service account names: a role or resource permission may reach only it. */
export const saResource = (id: number): Resource => ({ kind: 'serviceaccounts', id });

export async function getServiceAccount(ctx: Ctx, p: Principal, id: number): Promise<ServiceAccount> {
  await authorize(ctx, p, 'serviceaccounts:read', p.orgId, saResource(id));
  const sa = await findServiceAccount(ctx.db, p.orgId, id);
  if (!sa) throw notFoundError();
  return sa;
}

/** Grafana's per-service-account access metadata (?accesscontrol=true): the granted actions only. */
const SA_ACTIONS: [string, OrgAction][] = [
  ['serviceaccounts:read', 'serviceaccounts:read'],
  ['serviceaccounts:write', 'serviceaccounts:write'],
  ['serviceaccounts:delete', 'serviceaccounts:delete'],
  // Managing who may use a service account is a write-level power.
  ['serviceaccounts.permissions:read', 'serviceaccounts:write'],
  ['serviceaccounts.permissions:write', 'serviceaccounts:write'],
];

export async function serviceAccountAccess(ctx: Ctx, p: Principal): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const [name, action] of SA_ACTIONS) if (await can(ctx, p, action, p.orgId)) out[name] = true;
  return out;
}

async function taken(db: Db, orgId: number, name: string, login: string | null, exceptId = 0): Promise<boolean> {
  return accountsStore.serviceAccountClash(db, orgId, name, login, exceptId);
}

export interface NewServiceAccount {
  name: string;
  role?: unknown;
  isDisabled?: boolean;
}

export async function createServiceAccount(ctx: Ctx, p: Principal, input: NewServiceAccount): Promise<ServiceAccount> {
  await authorize(ctx, p, 'serviceaccounts:create', p.orgId);
  if (typeof input.name !== 'string' || input.name === '') throw invalid('sa.name-required', 'Bad request data');
  limitLength('serviceAccount.name', input.name, 'name');
  const role = input.role === undefined ? 'Viewer' : validateRole(input.role);
  await checkRoleCeiling(ctx, p, role);
  const login = serviceAccountLogin(p.orgId, input.name);
  try {
    return await inTransaction(ctx, async (trx) => {
      const [, quota] = await Promise.all([lockLiveOrg(ctx, trx, p.orgId), readOrgQuota(trx, p.orgId, 'service_account')]);
      await checkOrgQuota(ctx, trx, p.orgId, 'service_account', 'exclusive', quota);
      if (await taken(trx, p.orgId, input.name, login)) throw existsError();
      const ts = now();
      const row = await accountsStore.insertServiceAccount(trx, {
        uid: grafanaUid(),
        org_id: p.orgId,
        name: input.name,
        login,
        role,
        is_disabled: input.isDisabled ? 1 : 0,
        created_at: ts,
        updated_at: ts,
      });
      await audit(trx, p, { action: 'service-account.create', objectType: 'service-account', objectId: row.id, orgId: row.org_id, after: saSnapshot(row) });
      return { ...row, tokens: 0 };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw existsError();
    throw err;
  }
}

export interface ServiceAccountUpdate {
  name?: string;
  role?: unknown;
  isDisabled?: boolean;
}

/** Grafana leaves an empty name unchanged and keeps the login as created. */
export async function updateServiceAccount(ctx: Ctx, p: Principal, id: number, input: ServiceAccountUpdate): Promise<ServiceAccount> {
  await authorize(ctx, p, 'serviceaccounts:write', p.orgId, saResource(id));
  limitLength('serviceAccount.name', input.name, 'name');
  const role = input.role === undefined || input.role === null ? undefined : validateRole(input.role);
  if (role) await checkRoleCeiling(ctx, p, role);
  try {
    return await inTransaction(ctx, async (trx) => {
      const sa = await findServiceAccount(trx, p.orgId, id);
      if (!sa) throw notFoundError();
      const patch: { name?: string; role?: Role; is_disabled?: 0 | 1; updated_at: string } = { updated_at: now() };
      if (input.name) {
        if (await taken(trx, p.orgId, input.name, null, sa.id)) throw existsError();
        patch.name = input.name;
      }
      if (role) patch.role = role;
      if (input.isDisabled !== undefined) patch.is_disabled = input.isDisabled ? 1 : 0;
      await accountsStore.updateServiceAccountRow(trx, p.orgId, sa.id, patch);
      const after = (await findServiceAccount(trx, p.orgId, sa.id))!;
      await audit(trx, p, { action: 'service-account.update', objectType: 'service-account', objectId: sa.id, orgId: sa.org_id, before: saSnapshot(sa), after: saSnapshot(after) });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw existsError();
    throw err;
  }
}

/** Deletes a service account and its tokens; its tokens stop working with the next request. */
export async function deleteServiceAccount(ctx: Ctx, p: Principal, id: number): Promise<void> {
  await authorize(ctx, p, 'serviceaccounts:delete', p.orgId, saResource(id));
  await inTransaction(ctx, async (trx) => {
    // Serialized with minting its tokens (service-account-tokens.ts).
    await lockLiveOrg(ctx, trx, p.orgId);
    const sa = await findServiceAccount(trx, p.orgId, id);
    if (!sa) throw notFoundError();
    await accountsStore.deleteServiceAccountRow(trx, p.orgId, sa.id);
    await deleteResourceScope(trx, resourceScope(saResource(sa.id)));
    await audit(trx, p, { action: 'service-account.delete', objectType: 'service-account', objectId: sa.id, orgId: sa.org_id, before: saSnapshot(sa) });
  });
}

/** What the audit trail keeps of a service account. */
function saSnapshot(sa: { name: string; login: string; role: string; is_disabled: number }) {
  return { name: sa.name, login: sa.login, role: sa.role, isDisabled: !!sa.is_disabled };
}

export interface ServiceAccountSearch {
  /** Case-insensitive substring of the name or login. */
  query?: string;
  /** Only disabled accounts. */
  disabled?: boolean;
  /** Only accounts with an expired token. */
  expiredTokens?: boolean;
  limit: number;
  offset: number;
}

export async function searchServiceAccounts(ctx: Ctx, p: Principal, q: ServiceAccountSearch): Promise<{ total: number; serviceAccounts: ServiceAccount[] }> {
  await authorize(ctx, p, 'serviceaccounts:read', p.orgId);
  const { total, rows } = await accountsStore.selectServiceAccounts(ctx.db, ctx.dialect, p.orgId, {
    query: q.query,
    disabled: q.disabled,
    tokenExpiredBefore: q.expiredTokens ? now() : undefined,
    limit: q.limit,
    offset: q.offset,
  });
  return { total, serviceAccounts: rows };
}
