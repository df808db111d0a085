// Which org a PostHog URL names (uuid or @current), checked in PostHog's order: the org exists,
// the personal key may reach it with the right scope, the caller is a member.
import type { Ctx } from '../../domain/context.ts';
import { UUID_PATTERN } from '../../domain/ids.ts';
import { findOrg, getOrgByUuid, orgSettings, type Org } from '../../domain/orgs.ts';
import { checkKeyAccess } from '../../domain/personal-keys.ts';
import { callerLevel, type Level } from '../../domain/posthog-levels.ts';
import { currentOrgId, findMemberOrg } from '../../domain/posthog-orgs.ts';
import type { Principal } from '../../domain/principal.ts';
import { phForbidden, phNotFound } from './errors.ts';

export interface OrgAccess {
  org: Org;
  level: Level;
}

const keyView = (org: Org) => ({ uuid: org.uuid, name: org.name, membersCanUsePersonalApiKeys: orgSettings(org).membersCanUsePersonalApiKeys });

async function current(ctx: Ctx, p: Principal): Promise<Org> {
  const id = await currentOrgId(ctx, p);
  const org = id === null ? undefined : await findOrg(ctx.db, id);
  if (!org) throw phNotFound('Current organization not found.');
  return org;
}

/** The org of a nested route (members, invites, integrations): unknown -> 404, not a member -> 403. */
export async function nestedOrg(ctx: Ctx, p: Principal, param: string, scope: string | null): Promise<OrgAccess> {
  let org: Org | undefined;
  if (param === '@current') org = await current(ctx, p);
  else if (UUID_PATTERN.test(param)) org = await getOrgByUuid(ctx, param.toLowerCase());
  if (!org) throw phNotFound('Organization not found.');
  const level = await callerLevel(ctx, p, org.id);
  checkKeyAccess(p, { scope, org: keyView(org), level });
  if (level === null) throw phForbidden();
  return { org, level };
}

/**
 * The org of /api/organizations/<id>/: looked up among the caller's orgs (and a key's allowed
 * ones), so any other id is 404; `@current` outside a key's orgs is the key's 403.
 */
export async function detailOrg(ctx: Ctx, p: Principal, param: string, scope: string): Promise<OrgAccess> {
  if (param === '@current') {
    const org = await current(ctx, p);
    const level = await callerLevel(ctx, p, org.id);
    checkKeyAccess(p, { scope, org: keyView(org), level });
    if (level === null) throw phNotFound('Current organization not found.');
    return { org, level };
  }
  checkKeyAccess(p, { scope });
  const found = await findMemberOrg(ctx, p, param);
  if (!found) throw phNotFound();
  const { level, ...org } = found;
  checkKeyAccess(p, { scope, org: keyView(org), level });
  return { org, level };
}
