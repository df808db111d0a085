// Users as an identity provider provisions them into the org of its SCIM token (docs/scim.md).
// A provisioned user is a Roster user: one person provisioned into two orgs by two tokens is one
// user, matched by login or email. Deprovisioning removes them from this org only, and disables
// them once they belong to no org; nothing of another org is touched. Every change goes through
// the domain's own operations (members, users), in one transaction per request.
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, longReads, NEEDS_EXCLUSIVE, withOrgLock, type Commit, type Ctx, type Db } from './context.ts';
import { conflict, invalid, isDomainError, notFound } from './errors.ts';
import { canonicalIdentifier, lookupKey } from './identity.ts';
import { addMember, readMembershipRule, removeMember } from './members.ts';
import { checkGlobalQuota, lockGlobalQuota } from './quotas.ts';
import { authorize } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { findUserByLoginOrEmail } from './user-lookup.ts';
import { newUserValues, updateProfile, writeDisabled, writeNewUser } from './users.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { reserveUserId } from '../store/users.ts';
import { deleteScimUser, memberElsewhere, scimUserPage, selectScimUsers, upsertScimUser, type ScimUserKey, type ScimUserRow } from '../store/scim.ts';

export type { ScimUserKey };

/** The role a provisioned user gets in the org (identity providers send no Roster role). */
const PROVISIONED_ROLE = 'Viewer';

export interface ProvisionedUser {
  userId: number;
  /** The SCIM id. */
  uuid: string;
  login: string;
  email: string;
  name: string;
  externalId: string | null;
  /** A member of the org, and not disabled. */
  active: boolean;
  /** Provisioned through SCIM (else an org member SCIM sees without having provisioned them). */
  provisioned: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What the identity provider wants the user to be. */
export interface DesiredUser {
  login: string;
  email: string;
  name: string;
  externalId: string | null;
  active: boolean;
}

const provisioned = (r: ScimUserRow): ProvisionedUser => ({
  userId: r.id,
  uuid: r.uuid,
  login: r.login,
  email: r.email,
  name: r.name,
  externalId: r.external_id,
  active: r.member !== null && !r.is_disabled,
  provisioned: r.provisioned !== null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Each call runs its domain operations inside the caller's transaction. */
const within = (ctx: Ctx, trx: Db): Ctx => ({ ...ctx, db: trx as Ctx['db'], reads: trx as Ctx['db'] });

/** The org's SCIM users that `key` names (an index lookup), or all of them. */
export async function findProvisionedUsers(ctx: Ctx, p: Principal, key?: ScimUserKey): Promise<ProvisionedUser[]> {
  await authorize(ctx, p, 'org.users:read', p.orgId);
  if (key && 'login' in key) {
    const login = lookupKey(key.login);
    if (!login) return [];
    key = { login };
  }
  if (key && 'email' in key) {
    const email = lookupKey(key.email);
    if (!email) return [];
    key = { email };
  }
  return (await selectScimUsers(longReads(ctx), p.orgId, key)).map(provisioned);
}

export async function provisionedUserPage(ctx: Ctx, p: Principal, offset: number, limit: number): Promise<{ total: number; users: ProvisionedUser[] }> {
  await authorize(ctx, p, 'org.users:read', p.orgId);
  const page = await scimUserPage(longReads(ctx), p.orgId, offset, limit);
  return { total: page.total, users: page.rows.map(provisioned) };
}

async function oneRow(trx: Db, orgId: number, key: ScimUserKey): Promise<ScimUserRow> {
  const [row] = await selectScimUsers(trx, orgId, key);
  if (!row) throw notFound('scim.not-found', 'Resource not found');
  return row;
}

const one = async (trx: Db, orgId: number, key: ScimUserKey) => provisioned(await oneRow(trx, orgId, key));

const userNameTaken = () => conflict('scim.uniqueness', 'userName or email is already taken in this organization');

/**
 * POST /Users: a new Roster user, or an existing one (same login or email) not yet in this org,
 * joins the org. A user already a SCIM user of this org is a uniqueness conflict. A new active
 * user, an identity provider's first sync, is created under the org's shared lock, side by side
 * with others, in two round trips on PostgreSQL; joining an existing user or creating one inactive
 * (addMember, removeMember inside this transaction) holds the exclusive lock.
 */
export async function provisionUser(ctx: Ctx, p: Principal, want: DesiredUser): Promise<ProvisionedUser> {
  await authorize(ctx, p, 'org.users:add', p.orgId);
  const orgId = p.orgId;
  const login = canonicalIdentifier('login', want.login);
  const email = want.email ? canonicalIdentifier('email', want.email) : '';
  try {
    return await withOrgLock(
      ctx,
      orgId,
      'shared',
      async (trx, { found, lock, commit }) => {
        const tctx = within(ctx, trx);
        // One round trip: the org's lock, then who has this login or email, what the membership
        // rule reads, and a new user's id.
        const [orgFound, byLogin, byEmail, seen, id] = await Promise.all([
          found,
          findUserByLoginOrEmail(trx, login),
          email ? findUserByLoginOrEmail(trx, email) : undefined,
          readMembershipRule(trx, orgId),
          reserveUserId(trx, ctx.dialect),
        ]);
        if (!orgFound) throw notFound('org.not-found', 'Organization not found');
        if (byLogin && byEmail && byLogin.id !== byEmail.id) throw userNameTaken();
        const existing = byLogin ?? byEmail;
        if ((existing || !want.active) && lock === 'shared') return NEEDS_EXCLUSIVE;
        if (existing) {
          if ((await selectScimUsers(trx, orgId, { userId: existing.id })).length) throw userNameTaken();
          if (want.active) await activate(tctx, p, existing.id, existing.login, false, !!existing.is_disabled);
          await link(trx, p, orgId, existing.id, want.externalId);
          return one(trx, orgId, { userId: existing.id });
        }
        await checkGlobalQuota(ctx, trx, 'user');
        const values = await newUserValues(ctx, { login, email: email || undefined, name: want.name, password: null });
        const creation = { orgId, role: PROVISIONED_ROLE, lock, seen, id } as const;
        if (!want.active) {
          const user = await writeNewUser(tctx, trx, p, values, creation);
          if (user === NEEDS_EXCLUSIVE) throw new Error('provisionUser: the membership asked for the exclusive lock while holding it');
          await deactivate(tctx, p, user.id, false);
          await link(trx, p, orgId, user.id, want.externalId);
          return one(trx, orgId, { userId: user.id });
        }
        // The user's writes, the SCIM link and the commit in one round trip; the answer is what they wrote.
        const user = await writeNewUser(tctx, trx, p, values, { ...creation, commit, then: (t, u, c) => link(t, p, orgId, u.id, want.externalId, c) });
        if (user === NEEDS_EXCLUSIVE) return user;
        return provisioned({ ...user, external_id: want.externalId, provisioned: user.id, member: user.id });
      },
      (trx) => lockGlobalQuota(ctx, trx, 'user'),
    );
  } catch (err) {
    // The same login or email created by a concurrent request.
    if (isUniqueViolation(err)) throw userNameTaken();
    throw err;
  }
}

/**
 * PUT and PATCH: `change` turns the user as stored into the wanted one (it checks If-Match and
 * applies the PATCH operations); all of it, and every write it leads to, in one transaction.
 */
export async function updateProvisionedUser(ctx: Ctx, p: Principal, uuid: string, change: (current: ProvisionedUser) => DesiredUser): Promise<ProvisionedUser> {
  await authorize(ctx, p, 'org.users:write', p.orgId);
  const orgId = p.orgId;
  return inTransaction(ctx, async (trx) => {
    const tctx = within(ctx, trx);
    const row = await oneRow(trx, orgId, { uuid });
    const cur = provisioned(row);
    const want = change(cur);
    const login = canonicalIdentifier('login', want.login);
    const email = want.email ? canonicalIdentifier('email', want.email) : cur.email;
    const name = want.name.trim();
    if (login !== cur.login || email !== cur.email || (name && name !== cur.name)) {
      // A user of other orgs too keeps the profile those orgs see; a server admin's is the server's.
      if (row.is_admin || (await memberElsewhere(trx, orgId, cur.userId)))
        throw invalid('scim.shared-user', 'This user belongs to other organizations too (or is a server admin): their userName, name and emails cannot be changed here', { attr: 'userName' });
      try {
        await updateProfile(tctx, p, cur.userId, { login, email, name });
      } catch (err) {
        if (isDomainError(err, 'user.login-conflict')) throw userNameTaken();
        throw err;
      }
    }
    if (want.active && !cur.active) await activate(tctx, p, cur.userId, login, row.member !== null, !!row.is_disabled);
    if (!want.active && cur.active) await deactivate(tctx, p, cur.userId, !!row.is_admin);
    // The row keeps a deprovisioned user visible to the provider (active: false).
    if (want.externalId !== cur.externalId || row.provisioned === null) await link(trx, p, orgId, cur.userId, want.externalId);
    return one(trx, orgId, { userId: cur.userId });
  });
}

/** DELETE: the user leaves the org and is no longer one of its SCIM users; the Roster user stays. `check` may refuse (If-Match). */
export async function deprovisionUser(ctx: Ctx, p: Principal, uuid: string, check: (current: ProvisionedUser) => void = () => {}): Promise<void> {
  await authorize(ctx, p, 'org.users:remove', p.orgId);
  await inTransaction(ctx, async (trx) => {
    const row = await oneRow(trx, p.orgId, { uuid });
    check(provisioned(row));
    if (row.member !== null) await deactivate(within(ctx, trx), p, row.id, !!row.is_admin);
    if (row.provisioned !== null) {
      await deleteScimUser(trx, p.orgId, row.id);
      await audit(trx, p, { action: 'scim.user.unlink', objectType: 'member', objectId: `${p.orgId}:${row.id}`, orgId: p.orgId });
    }
  });
}

/** Joins the org (unless a member) and is enabled again. */
async function activate(tctx: Ctx, p: Principal, userId: number, login: string, member: boolean, disabled: boolean): Promise<void> {
  if (!member) await addMember(tctx, p, p.orgId, { loginOrEmail: login, role: PROVISIONED_ROLE });
  if (disabled) await writeDisabled(tctx, p, userId, false);
}

/**
 * Leaves the org; a user left in no org is disabled (their sessions end). A server admin is never
 * disabled by an org's identity provider: that is the server's decision.
 */
async function deactivate(tctx: Ctx, p: Principal, userId: number, serverAdmin: boolean): Promise<void> {
  await removeMember(tctx, p, p.orgId, userId);
  if (!serverAdmin && !(await memberElsewhere(tctx.db, p.orgId, userId))) await writeDisabled(tctx, p, userId, true);
}

/** Records that the user is provisioned into the org, with the provider's externalId; `commit` goes with these writes. */
async function link(trx: Db, p: Principal, orgId: number, userId: number, externalId: string | null, commit?: Commit): Promise<void> {
  await Promise.all([
    upsertScimUser(trx, orgId, userId, externalId, now()),
    audit(trx, p, { action: 'scim.user.link', objectType: 'member', objectId: `${orgId}:${userId}`, orgId, after: { externalId } }),
    commit?.(),
  ]);
}

/** Records an org's SCIM link of an existing user as it was exported (cli/import-org.ts). */
export async function restoreUserLink(ctx: Ctx, p: Principal, orgId: number, userId: number, externalId: string | null): Promise<void> {
  await authorize(ctx, p, 'org.users:write', orgId);
  await inTransaction(ctx, (trx) => link(trx, p, orgId, userId, externalId));
}
