// Which org a PostHog URL names (uuid or @current) and whether the caller may act in it, in
// PostHog's order: the org exists, a personal key may reach it with the scope the permission
// needs (policy/key-scopes.ts), the caller is a member (docs/compat/posthog.md#scopes).
import type { Ctx } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { UUID_PATTERN } from './ids.ts';
import { getOrgByUuid, orgSettings, type Org } from './orgs.ts';
import { checkKeyScope, checkTwoFactorHold, type KeyOrg, type Level, type Permission } from './policy/index.ts';
import { callerLevel } from './posthog-members.ts';
import { findCurrentOrg, findMemberOrg } from './posthog-orgs.ts';
import type { Principal } from './principal.ts';

export interface OrgAccess {
  org: Org;
  level: Level;
}

const GENERIC_FORBIDDEN = 'You do not have permission to perform this action.';
const orgNotFound = () => notFound('posthog.org-not-found', 'Organization not found.');
const currentNotFound = () => notFound('posthog.current-org-not-found', 'Current organization not found.');

const keyView = (org: Org): KeyOrg => ({ uuid: org.uuid, name: org.name, membersCanUsePersonalApiKeys: orgSettings(org).membersCanUsePersonalApiKeys });

async function current(ctx: Ctx, p: Principal): Promise<Org> {
  const org = await findCurrentOrg(ctx, p);
  if (!org) throw currentNotFound();
  return org;
}

/** The org of a nested route (members, invites, integrations): unknown -> 404, not a member -> 403. */
export async function memberOrg(ctx: Ctx, p: Principal, param: string, permission: Permission): Promise<OrgAccess> {
  let org: Org | undefined;
  if (param === '@current') org = await current(ctx, p);
  else if (UUID_PATTERN.test(param)) org = await getOrgByUuid(ctx, param.toLowerCase());
  if (!org) throw orgNotFound();
  const level = await callerLevel(ctx, p, org.id);
  checkKeyScope(p, permission, keyView(org), level);
  if (level === null) throw forbidden('posthog.member', GENERIC_FORBIDDEN);
  checkTwoFactorHold(p, org.id);
  return { org, level };
}

/**
 * The org of /api/organizations/<id>/: looked up among the caller's orgs (and a key's allowed
 * ones), so any other id is 404; `@current` outside a key's orgs is the key's 403.
 */
export async function ownOrg(ctx: Ctx, p: Principal, param: string, permission: Permission): Promise<OrgAccess> {
  if (param === '@current') {
    const org = await current(ctx, p);
    const level = await callerLevel(ctx, p, org.id);
    checkKeyScope(p, permission, keyView(org), level);
    if (level === null) throw currentNotFound();
    checkTwoFactorHold(p, org.id);
    return { org, level };
  }
  checkKeyScope(p, permission);
  const found = await findMemberOrg(ctx, p, param);
  if (!found) throw notFound('org.not-found', 'Not found.');
  const { level, ...org } = found;
  checkKeyScope(p, permission, keyView(org), level);
  checkTwoFactorHold(p, org.id);
  return { org, level };
}
