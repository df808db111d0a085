// Organizations as PostHog sees them: only the caller's own orgs (and, for a personal key, only
// those it is limited to), each with the caller's level; create, update and delete under
// PostHog's level rules, through the one set of org functions in orgs.ts.
import type { Ctx } from './context.ts';
import { createOrg, deleteOrg, findOrg, updateOrgSettings, type Org } from './orgs.ts';
import type { OrgSettings } from './org-settings.ts';
import { ADMIN, checkKeyScope, checkMayDeleteOrg, keyOrgFilter, levelOf, OWNER, requireSelf, type Level } from './policy/index.ts';
import { callerLevel, requireLevel } from './posthog-members.ts';
import type { Principal } from './principal.ts';
import { findUser, switchOrg } from './users.ts';
import { UUID_PATTERN } from './ids.ts';
import * as membersStore from '../store/org-members.ts';
import { findMemberOrg as findMemberOrgRow, selectMemberOrgs } from '../store/member-orgs.ts';

export interface MemberOrg extends Org {
  level: Level;
}

const withLevel = (r: Org & { member_role: string; member_is_owner: number }): MemberOrg => {
  const { member_role, member_is_owner, ...org } = r;
  return { ...org, level: levelOf({ role: member_role, is_owner: member_is_owner }) };
};

/** The caller's orgs in creation order. */
export async function listMemberOrgs(ctx: Ctx, p: Principal, page: { limit: number; offset: number }) {
  checkKeyScope(p, 'orgs:read');
  const { total, rows } = await selectMemberOrgs(ctx.db, p.userId ?? -1, keyOrgFilter(p), page);
  return { total, orgs: rows.map(withLevel) };
}

/** One of the caller's orgs by uuid; undefined for other orgs, unknown ids and malformed ids alike. */
export async function findMemberOrg(ctx: Ctx, p: Principal, uuid: string): Promise<MemberOrg | undefined> {
  if (!UUID_PATTERN.test(uuid)) return undefined;
  const row = await findMemberOrgRow(ctx.db, p.userId ?? -1, keyOrgFilter(p), uuid.toLowerCase());
  return row ? withLevel(row) : undefined;
}

/** The caller's current org: the one they work in, else the first they belong to (PostHog's lazy fallback). */
export async function currentOrgId(ctx: Ctx, p: Principal): Promise<number | null> {
  if (p.orgId > 0 && p.role !== null) return p.orgId;
  if (p.userId === null) return null;
  return (await membersStore.firstOrgIdOf(ctx.db, p.userId)) ?? null;
}

/** The caller's current org (currentOrgId), undefined when they belong to none. */
export async function findCurrentOrg(ctx: Ctx, p: Principal): Promise<Org | undefined> {
  const id = await currentOrgId(ctx, p);
  return id === null ? undefined : findOrg(ctx.db, id);
}

/**
 * Creates an org whose creator is its Admin and owner. ROSTER_ALLOW_ORG_CREATE decides for
 * ordinary users; a server admin always may, also through one of their personal keys.
 */
export async function createOrgAsMember(ctx: Ctx, p: Principal, readInput: () => { name: string; settings: Partial<OrgSettings> }): Promise<MemberOrg> {
  // PostHog checks a key's scope before it reads the body.
  checkKeyScope(p, 'orgs:create');
  const input = readInput();
  let creator = p;
  if (p.kind === 'personal-key' && p.userId !== null) {
    const user = await findUser(ctx.db, p.userId);
    if (user?.is_admin) creator = { ...p, isServerAdmin: true };
  }
  const org = await createOrg(ctx, creator, { name: input.name, settings: input.settings, makeCurrent: true });
  return { ...org, level: OWNER };
}

/** Admins and owners change the name and settings; the patch is read once the caller's level allows (PostHog's order). */
export async function updateOrgAsMember(ctx: Ctx, p: Principal, orgId: number, readPatch: () => Partial<OrgSettings> & { name?: string }): Promise<{ org: Org; level: Level }> {
  const level = await requireLevel(ctx, p, orgId, ADMIN);
  return { org: await updateOrgSettings(ctx, p, orgId, readPatch()), level };
}

/**
 * Switches the caller's current org to one of theirs by uuid: any of them, whatever a key is
 * limited to (PostHog's user endpoints ignore org limits). The target is read once the caller
 * may change their account; 'unchanged' when none is given, 'unknown' when it is not theirs.
 */
export async function switchOwnOrg(ctx: Ctx, p: Principal, readTarget: () => unknown): Promise<MemberOrg | 'unchanged' | 'unknown'> {
  const userId = requireSelf(p, 'user.self:write');
  const target = readTarget();
  if (typeof target !== 'string') return 'unchanged';
  const org = await findMemberOrg(ctx, { ...p, kind: 'user' }, target);
  if (!org) return 'unknown';
  await switchOrg(ctx, p, userId, org.id);
  return org;
}

/** Only owners delete (policy/posthog-levels.ts). */
export async function deleteOrgAsOwner(ctx: Ctx, p: Principal, orgId: number): Promise<void> {
  const level = await callerLevel(ctx, p, orgId);
  checkMayDeleteOrg(level);
  // Grafana's "cannot delete your active org" rule is Grafana's; PostHog owners may delete any of theirs.
  await deleteOrg(ctx, null, orgId);
}
