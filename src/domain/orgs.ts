// Organizations: create, read, search, rename, address, delete.
import { authorize, authorizeGlobal, mayCreateOrg } from './policy/index.ts';
import { audit, type Actor } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, lockOrg, type Ctx, type Db } from './context.ts';
import type { Dialect } from '../store/db.ts';
import { conflict, forbidden, invalid, isDomainError, notFound } from './errors.ts';
import { oncallId, randomLetters, uuidv7 } from './ids.ts';
import { DEFAULT_ORG_SETTINGS, parseOrgSettings, type OrgSettings } from './org-settings.ts';
import type { Principal } from './principal.ts';
import { slugify, MAX_SLUG_LENGTH } from './slug.ts';
import { isForeignKeyViolation, isUniqueViolation, violatesColumn } from '../store/errors.ts';
import type { OrgRow } from '../store/schema.ts';
import * as orgsStore from '../store/orgs.ts';
import { firstOrgIdOf, insertMember } from '../store/org-members.ts';
import { currentOrgOf, updateUser } from '../store/users.ts';
import type { ListedOrg } from '../store/orgs.ts';

export type { ListedOrg };
import { limitLength } from './limits.ts';
import { checkGlobalQuota, checkUserOrgQuota } from './quotas.ts';

export type Org = OrgRow;
export const MAIN_ORG_NAME = 'Main Org.';

export interface Address {
  address1: string;
  address2: string;
  city: string;
  zipCode: string;
  state: string;
  country: string;
}

export function orgAddress(org: Org): Address {
  return {
    address1: org.address1,
    address2: org.address2,
    city: org.city,
    zipCode: org.zip_code,
    state: org.state,
    country: org.country,
  };
}

export const orgSettings = (org: Org): OrgSettings => parseOrgSettings(org.settings);

export async function findOrg(db: Db, id: number): Promise<Org | undefined> {
  return orgsStore.findOrgById(db, id);
}

export async function getOrg(ctx: Ctx, id: number): Promise<Org> {
  const org = await findOrg(ctx.db, id);
  if (!org) throw notFound('org.not-found', 'Organization not found');
  return org;
}

/**
 * An org the caller may read (members, and server admins for any org). `load` reads it once
 * allowed; a face passes its memoized reader for orgs read on every request.
 */
export async function readOrg(ctx: Ctx, p: Principal, ref: OrgRef, load: (orgId: number) => Org | Promise<Org> = (id) => getOrg(ctx, id)): Promise<Org> {
  const orgId = await orgIdOf(ctx, ref);
  await authorize(ctx, p, 'orgs:read', orgId);
  return load(orgId);
}

/** Any org by exact name, for server admins. */
export async function readOrgByName(ctx: Ctx, p: Principal, name: string): Promise<Org> {
  authorizeGlobal(p, 'orgs:read');
  return getOrgByName(ctx, name);
}

export async function getOrgByName(ctx: Ctx, name: string): Promise<Org> {
  const org = await orgsStore.findOrgBy(ctx.db, 'name', name);
  if (!org) throw notFound('org.not-found', 'Organization not found');
  return org;
}

/**
 * An org as a path names it. A bare number is taken as is, so the permission check answers for an
 * unknown id as for any org the caller is not in; the other forms must name an existing org (404).
 */
export type OrgRef = number | { id: number } | { publicId: string } | { uuid: string };

/** The id `ref` names (domain-internal: every caller authorizes on the id it returns). */
export async function orgIdOf(ctx: Ctx, ref: OrgRef): Promise<number> {
  if (typeof ref === 'number') return ref;
  const org = 'id' in ref ? await findOrg(ctx.db, ref.id) : 'publicId' in ref ? await orgsStore.findOrgBy(ctx.db, 'public_id', ref.publicId) : await getOrgByUuid(ctx, ref.uuid);
  if (!org) throw notFound('org.not-found', 'Organization not found');
  return org.id;
}

export async function getOrgByUuid(ctx: Ctx, uuid: string): Promise<Org | undefined> {
  return orgsStore.findOrgBy(ctx.db, 'uuid', uuid);
}

export interface OrgSearch {
  /** Case-insensitive name prefix. */
  query?: string;
  /** Exact name. */
  name?: string;
  limit: number;
  offset: number;
  /** Start after this name (then skip `offset` orgs). */
  after?: string;
}

/** Orgs by name, binary order as Grafana on SQLite (server admins). `after` (a name) starts the page after it: a keyset read. */
export async function searchOrgs(ctx: Ctx, p: Principal, q: OrgSearch): Promise<ListedOrg[]> {
  authorizeGlobal(p, 'orgs:read');
  return orgsStore.selectOrgPage(ctx.db, ctx.dialect, q);
}

export function validateOrgName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw invalid('org.name-required', 'Organization name is required');
  return limitLength('org.name', name, 'name');
}

/** PostHog's create_with_slug: the slugified name, else its first 43 characters, "-" and 4 random letters. */
async function uniqueSlug(db: Db, name: string): Promise<string> {
  const base = slugify(name);
  for (let attempt = 0; attempt < 10; attempt++) {
    const slug = attempt === 0 && base ? base : `${base.slice(0, MAX_SLUG_LENGTH - 5)}-${randomLetters(4)}`;
    if (!(await orgsStore.orgWith(db, 'slug', slug))) return slug;
  }
  throw conflict('org.slug-taken', 'Could not find a free slug for this organization');
}

export interface NewOrg {
  name: string;
  settings?: Partial<OrgSettings>;
  /** The creating user works in the new org from now on (PostHog's bootstrap does this; Grafana's POST /api/orgs does not). */
  makeCurrent?: boolean;
}

/** Inserts an org row; the caller's transaction adds the creator as Admin and owner. */
export async function insertOrg(db: Db, input: NewOrg): Promise<Org> {
  if (await orgsStore.orgWith(db, 'name', input.name)) throw conflict('org.name-taken', 'Organization name taken');
  const ts = now();
  try {
    return await orgsStore.insertOrgRow(db, {
      public_id: oncallId('O'),
      uuid: uuidv7(),
      name: input.name,
      slug: await uniqueSlug(db, input.name),
      settings: JSON.stringify({ ...DEFAULT_ORG_SETTINGS, ...input.settings }),
      enforce_2fa: input.settings?.enforce2fa === true ? 1 : 0,
      created_at: ts,
      updated_at: ts,
    });
  } catch (err) {
    // A concurrent create of a similar name took the slug: the caller may retry.
    if (violatesColumn(err, 'orgs', 'slug')) throw conflict('org.slug-taken', 'Organization slug taken');
    if (isUniqueViolation(err)) throw conflict('org.name-taken', 'Organization name taken');
    throw err;
  }
}

/** Whether the caller may create orgs under this server's settings. */
export function mayCreateOrgs(ctx: Ctx, p: Principal): boolean {
  return mayCreateOrg(p, ctx.settings.allowOrgCreate);
}

/** The system (`p` null: CLI, bootstrap) always may. */
export function authorizeOrgCreate(ctx: Ctx, p: Actor): void {
  if (p !== null && !mayCreateOrgs(ctx, p)) throw forbidden('orgs:create');
}

/** Creates an org; a user creator becomes its Admin and owner. `p` null is the system (CLI, bootstrap). */
export async function createOrg(ctx: Ctx, p: Actor, input: NewOrg): Promise<Org> {
  authorizeOrgCreate(ctx, p);
  validateOrgName(input.name);
  for (let attempt = 1; ; attempt++) {
    try {
      return await createOrgOnce(ctx, p, input);
    } catch (err) {
      if (!isDomainError(err, 'org.slug-taken') || attempt >= 3) throw err;
    }
  }
}

async function createOrgOnce(ctx: Ctx, p: Actor, input: NewOrg): Promise<Org> {
  return inTransaction(ctx, (trx) => insertOrgWithCreator(ctx, trx, p, input)).catch((err) => {
    // The creating user was deleted by a concurrent request.
    if (isForeignKeyViolation(err)) throw notFound('user.not-found', 'User not found');
    throw err;
  });
}

async function insertOrgWithCreator(ctx: Ctx, trx: Db, p: Actor, input: NewOrg): Promise<Org> {
  // The server's org quota, then the creating user's (Grafana checks both on POST /api/orgs).
  await checkGlobalQuota(ctx, trx, 'org');
  if (p?.userId != null) await checkUserOrgQuota(ctx, trx, p.userId);
  const org = await insertOrg(trx, input);
  await audit(trx, p, { action: 'org.create', objectType: 'org', objectId: org.id, orgId: org.id, after: orgSnapshot(org) });
  const creator = p?.userId ?? null;
  if (creator !== null) {
    const ts = now();
    await insertMember(trx, org.id, creator, 'Admin', 1, uuidv7(), ts, ts);
    await audit(trx, p, { action: 'member.add', objectType: 'member', objectId: `${org.id}:${creator}`, orgId: org.id, after: { role: 'Admin', isOwner: true } });
    if (input.makeCurrent) {
      const before = await currentOrgOf(trx, creator);
      await updateUser(trx, creator, { org_id: org.id });
      await audit(trx, p, { action: 'user.current-org.switch', objectType: 'user', objectId: creator, orgId: org.id, before: { orgId: before }, after: { orgId: org.id } });
    }
  }
  return org;
}

/** What the audit trail keeps of an org. */
export function orgSnapshot(org: Org) {
  return { id: org.id, name: org.name, slug: org.slug, address: orgAddress(org), settings: orgSettings(org) };
}

export async function renameOrg(ctx: Ctx, p: Principal, orgId: number, name: string): Promise<Org> {
  await authorize(ctx, p, 'orgs:write', orgId);
  validateOrgName(name);
  return changeOrg(ctx, p, orgId, 'org.rename', () => ({ name }));
}

export async function updateOrgAddress(ctx: Ctx, p: Principal, orgId: number, a: Partial<Address>): Promise<void> {
  await authorize(ctx, p, 'orgs:write', orgId);
  const patch: Record<string, string> = {};
  if (a.address1 !== undefined) patch.address1 = limitLength('org.address1', a.address1);
  if (a.address2 !== undefined) patch.address2 = limitLength('org.address2', a.address2);
  if (a.city !== undefined) patch.city = limitLength('org.city', a.city);
  if (a.zipCode !== undefined) patch.zip_code = limitLength('org.zipCode', a.zipCode);
  if (a.state !== undefined) patch.state = limitLength('org.state', a.state);
  if (a.country !== undefined) patch.country = limitLength('org.country', a.country);
  await changeOrg(ctx, p, orgId, 'org.address.update', () => patch);
}

export async function updateOrgSettings(ctx: Ctx, p: Principal, ref: OrgRef, patch: Partial<OrgSettings> & { name?: string }): Promise<Org> {
  const orgId = await orgIdOf(ctx, ref);
  await authorize(ctx, p, 'orgs:write', orgId);
  const { name, ...settings } = patch;
  if (name !== undefined) validateOrgName(name);
  return changeOrg(ctx, p, orgId, 'org.settings.update', (org) => ({
    settings: JSON.stringify({ ...orgSettings(org), ...settings }),
    // Kept with the document: the authenticator finds the enforcing orgs by this column.
    enforce_2fa: { ...orgSettings(org), ...settings }.enforce2fa === true ? 1 : 0,
    ...(name !== undefined ? { name } : {}),
  }));
}

/** Applies a change to one org row in a transaction, with the unique-name rule and an audit event. */
async function changeOrg(ctx: Ctx, p: Actor, orgId: number, action: string, patchOf: (org: Org) => Record<string, string | number> & { name?: string }): Promise<Org> {
  return inTransaction(ctx, async (trx) => {
    await lockOrg(ctx, trx, orgId);
    const before = await findOrg(trx, orgId);
    if (!before) throw notFound('org.not-found', 'Organization not found');
    const patch = patchOf(before);
    // A change to nothing (a PATCH of no known field) writes nothing and is not audited.
    if (Object.entries(patch).every(([k, v]) => (before as unknown as Record<string, unknown>)[k] === v)) return before;
    if (patch.name !== undefined) {
      if (await orgsStore.orgWith(trx, 'name', patch.name, orgId)) throw conflict('org.name-taken', 'Organization name taken');
    }
    let after: Org;
    try {
      after = await orgsStore.updateOrgReturning(trx, orgId, { ...patch, updated_at: now() });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('org.name-taken', 'Organization name taken');
      throw err;
    }
    await audit(trx, p, { action, objectType: 'org', objectId: orgId, orgId, before: orgSnapshot(before), after: orgSnapshot(after) });
    return after;
  });
}

/**
 * Deletes an org with its memberships, teams and tokens (foreign-key cascades), and moves users
 * whose current org it was to another of their orgs (Grafana leaves them dangling, issue #17464).
 */
export async function deleteOrg(ctx: Ctx, p: Actor, orgId: number): Promise<void> {
  if (p) {
    await authorize(ctx, p, 'orgs:delete', orgId);
    if (p.orgId === orgId) throw invalid('org.delete-current', 'Cannot delete your active organization');
  }
  await inTransaction(ctx, async (trx) => {
    await lockOrg(ctx, trx, orgId);
    const org = await findOrg(trx, orgId);
    if (!org) throw notFound('org.not-found', 'Failed to delete organization. ID not found');
    await audit(trx, p, { action: 'org.delete', objectType: 'org', objectId: orgId, orgId, before: orgSnapshot(org) });
    await orgsStore.deleteOrgWithTokens(trx, orgId);
    // Read after the deletion: a member removal elsewhere that made this org someone's current
    // one held that membership (repairCurrentOrg), so the deletion waited for it to commit.
    const affected = await orgsStore.usersInCurrentOrg(trx, orgId);
    for (const userId of affected) await repairCurrentOrg(trx, ctx.dialect, userId);
  });
}

/** Points a user's current org at one they belong to (lowest id, held until commit), or 0 when none. */
export async function repairCurrentOrg(db: Db, dialect: Dialect, userId: number): Promise<void> {
  await updateUser(db, userId, { org_id: (await firstOrgIdOf(db, userId, dialect)) ?? 0 });
}
