// Users: creation with auto-assign, lookups (case-insensitive), profile, server-admin flag,
// disable, delete, current-org switching. Passwords: user-passwords.ts.
import { authorizeGlobal, requireSelf, targetUser, type Role, type UserRef } from './policy/index.ts';
import { audit, type Actor } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, longReads, NEEDS_EXCLUSIVE, withOrgLock, type Commit, type Ctx, type Db, type OrgLock } from './context.ts';
import { conflict, invalid, notFound, unauthorized } from './errors.ts';
import { grafanaUid, oncallId, UUID_PATTERN, uuidv7 } from './ids.ts';
import { decideMembership, readMembershipRule, writeMembership, type MembershipRuleFacts } from './members.ts';
import { insertOrg, MAIN_ORG_NAME } from './orgs.ts';
import type { Principal } from './principal.ts';
import { hashPassword } from './secrets.ts';
import { validateNewPassword } from './password-policy.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { canonicalIdentifier } from './identity.ts';
import { limitLength } from './limits.ts';
import type { Flag, UserRow, UserUpdate } from '../store/schema.ts';
import * as usersStore from '../store/users.ts';
import { findOrgBy } from '../store/orgs.ts';
import { deleteUserSessions } from '../store/sessions.ts';
import { findMembership } from '../store/org-members.ts';
import { findUser, findUserByLoginOrEmail } from './user-lookup.ts';
import { deleteUserRow } from './user-deletion.ts';
import { userSnapshot } from './user-snapshot.ts';
import type { ListedUser, UserOrderKey, UserSort } from '../store/users.ts';
import { dropPendingEmail, requestEmailChange } from './email-verification.ts';
import { checkGlobalQuota } from './quotas.ts';

export { findUser, findUserByLoginOrEmail, findUserByPublicId } from './user-lookup.ts';
export { deleteUserRow } from './user-deletion.ts';
export { userSnapshot } from './user-snapshot.ts';
export type { ListedUser, UserOrderKey, UserSort };

export type User = UserRow;
const TEN_YEARS_MS = 10 * 365.25 * 24 * 3600 * 1000;

export async function getUser(ctx: Ctx, id: number): Promise<User> {
  const user = await findUser(ctx.db, id);
  if (!user) throw notFound('user.not-found', 'user not found');
  return user;
}

/** A user's account: the caller's own, or anyone's for a server admin. */
export async function readUser(ctx: Ctx, p: Principal, ref: UserRef): Promise<User> {
  return getUser(ctx, await targetUser(p, ref, 'user.self:read', 'users:read'));
}

export async function lookupUser(ctx: Ctx, p: Principal, loginOrEmail: string): Promise<User> {
  authorizeGlobal(p, 'users:read');
  const user = await findUserByLoginOrEmail(ctx.db, loginOrEmail);
  if (!user) throw notFound('user.not-found', 'user not found');
  return user;
}

export interface NewUser {
  login?: string;
  email?: string;
  name?: string;
  password?: string | null;
  /** Org to join; default: the auto-assign org (1). */
  orgId?: number;
  isAdmin?: boolean;
  /** Role in the joined org; default: the configured auto-assign role (Admin for server admins). */
  role?: Role;
  /** Whether the address counts as verified; default yes (set by whoever creates the user). */
  emailVerified?: boolean;
  /**
   * More work for the same transaction, under the org's exclusive lock (an invite completed by
   * this sign-up): called once the user's writes are issued, its statements travel with them.
   */
  alsoInTransaction?: (trx: Db, user: { id: number }) => Promise<void>;
}

/** Creates a user and, as Grafana's auto_assign_org, makes them a member of org 1 (or `orgId`). */
export async function createUser(ctx: Ctx, p: Actor, input: NewUser): Promise<User> {
  if (p) authorizeGlobal(p, 'users:create');
  return insertNewUser(ctx, p, input);
}

/**
 * createUser's work, for callers that decided themselves who may create (single sign-on's
 * sign-up). It holds the org's shared lock unless the user joins as Admin or an invite is
 * completed with it: new users join side by side (members.ts decideMembership says when the
 * exclusive lock is needed after all).
 */
export async function insertNewUser(ctx: Ctx, p: Actor, input: NewUser): Promise<User> {
  const values = await newUserValues(ctx, input);
  const target = input.orgId || 1;
  const role = input.role ?? (input.isAdmin ? 'Admin' : ctx.settings.autoAssignOrgRole);
  const also = input.alsoInTransaction;
  try {
    return await withOrgLock(
      ctx,
      target,
      role === 'Admin' || also ? 'exclusive' : 'shared',
      async (trx, { found, lock, commit }) => {
        // One round trip: the clash check, the org's lock, what the membership rule reads there,
        // and the new user's id.
        const [clash, locked, seenThere, id] = await Promise.all([
          usersStore.findIdentifierClash(trx, values.login, values.email),
          found,
          readMembershipRule(trx, target),
          usersStore.reserveUserId(trx, ctx.dialect),
        ]);
        if (clash) throw userExists(input);
        const orgId = locked ? target : await orgForNewUser(trx, input.orgId);
        const seen = locked ? seenThere : await readMembershipRule(trx, orgId);
        // The rest, with the commit, in one more round trip.
        return writeNewUser(ctx, trx, p, values, { orgId, role, lock, seen, id, commit: also ? undefined : commit, then: also });
      },
      // Taken before the org's lock (store/quotas.ts): null is the server's own first start.
      p !== null ? (trx) => checkGlobalQuota(ctx, trx, 'user') : undefined,
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw userExists(input);
    throw err;
  }
}

/** A new user's own fields, validated: a login or an email (each stands in for the other), the password's hash. */
export type NewUserValues = Pick<UserRow, 'login' | 'email' | 'name' | 'password_hash'> & { is_admin: Flag; email_verified: Flag };

/** Validates NewUser's fields (the password policy too) and hashes the password. */
export async function newUserValues(ctx: Ctx, input: NewUser): Promise<NewUserValues> {
  let login = canonicalIdentifier('login', input.login);
  let email = canonicalIdentifier('email', input.email);
  const name = limitLength('user.name', (input.name ?? '').trim(), 'name');
  if (!login && !email) throw invalid('user.login-or-email-required', 'Validation error, need specify either username or email');
  if (!login) login = email;
  if (!email) email = login;
  if (input.password != null) validateNewPassword(ctx, input.password);
  const password_hash = input.password != null ? await hashPassword(input.password) : null;
  return { login, email, name, password_hash, is_admin: input.isAdmin ? 1 : 0, email_verified: input.emailVerified === false ? 0 : 1 };
}

/**
 * Inserts a user who joins `orgId` (locked with `lock`, `seen` read under it) with `role`, as the
 * membership rule decides, audited; NEEDS_EXCLUSIVE, with nothing written, when the rule needs
 * the exclusive lock. With `id` reserved (reserveUserId) every write is issued at once, then
 * `then`'s (given the commit) or else the commit: one round trip on PostgreSQL. The user's
 * current org is the one they join, so the row inserted is the row as committed.
 */
export async function writeNewUser(
  ctx: Ctx,
  trx: Db,
  p: Actor,
  values: NewUserValues,
  o: { orgId: number; role: Role; lock: OrgLock; seen: MembershipRuleFacts; id: number | undefined; commit?: Commit; then?: (trx: Db, user: { id: number }, commit?: Commit) => Promise<void> },
): Promise<User | typeof NEEDS_EXCLUSIVE> {
  const decided = await decideMembership(ctx, trx, o.orgId, o.role, o.lock, o.seen);
  if (decided === NEEDS_EXCLUSIVE) return decided;
  const ts = now();
  const row = {
    ...values,
    ...(o.id === undefined ? {} : { id: o.id }),
    uid: grafanaUid(),
    public_id: oncallId('U'),
    uuid: uuidv7(),
    is_disabled: 0 as const,
    org_id: o.orgId,
    created_at: ts,
    updated_at: ts,
    last_seen_at: new Date(Date.now() - TEN_YEARS_MS).toISOString(),
  };
  const inserted = usersStore.insertUser(trx, row);
  // Without a reserved id (SQLite) the insert answers it first.
  const id = o.id ?? (await inserted).id;
  const [user] = await Promise.all([
    inserted,
    audit(trx, p, { action: 'user.create', objectType: 'user', objectId: id, after: userSnapshot({ ...row, id }) }),
    writeMembership(trx, o.orgId, id, decided, p),
    o.then ? o.then(trx, { id }, o.commit) : o.commit?.(),
  ]);
  return user;
}

const userExists = (input: NewUser) => conflict('user.exists', `User with email '${input.email ?? ''}' or username '${input.login ?? ''}' already exists`);

/**
 * The org a new user joins when the one asked for (org 1 by default) does not exist: refused for
 * an org named by the caller; Grafana recreates "Main Org." as org 1 when the auto-assign org is
 * missing.
 */
async function orgForNewUser(trx: Db, orgId: number | undefined): Promise<number> {
  if (orgId) throw invalid('org.not-found', `[org.notFound] failed to get organization with ID: ${orgId}`);
  const existing = await findOrgBy(trx, 'name', MAIN_ORG_NAME);
  if (existing) return existing.id;
  return (await insertOrg(trx, { name: MAIN_ORG_NAME })).id;
}

/**
 * One page of the users matching `query` (server admins). `after` (default order only) starts
 * the page after that position, then `offset` rows are skipped: with a near `after`, a keyset
 * read, as cheap at the millionth row as at the first.
 */
export async function searchUsers(
  ctx: Ctx,
  p: Principal,
  q: { query?: string; limit: number; offset: number; sort?: { key: UserSort; desc: boolean }[]; after?: UserOrderKey },
): Promise<ListedUser[]> {
  authorizeGlobal(p, 'users:read');
  const sort = q.sort?.length
    ? q.sort
    : [
        { key: 'login' as const, desc: false },
        { key: 'email' as const, desc: false },
      ];
  const after = q.sort?.length ? undefined : q.after;
  return usersStore.selectUserPage(q.query ? longReads(ctx) : ctx.db, ctx.dialect, { query: q.query, limit: q.limit, offset: q.offset, sort, after });
}

/** How many users match `query` (server admins); callers memoize it. */
export async function countUsers(ctx: Ctx, p: Principal, query: string | undefined): Promise<number> {
  authorizeGlobal(p, 'users:read');
  return usersStore.countMatchingUsers(query ? longReads(ctx) : ctx.db, ctx.dialect, query);
}

export interface ProfileUpdate {
  login?: string;
  email?: string;
  name?: string;
  theme?: string;
}

/**
 * Grafana's rules: trimmed; empty name/email/theme unchanged; empty login becomes the email.
 * `selfService` (the user edits their own profile): a new address, or a login that is an
 * address other than theirs, is not applied but mailed for confirmation
 * (domain/email-verification.ts); the other fields are applied at once. Otherwise (an admin) the
 * address is set and counts as verified.
 */
export async function updateProfile(ctx: Ctx, p: Actor, userId: number, input: ProfileUpdate, opts: { selfService?: boolean } = {}): Promise<'updated' | 'pending'> {
  const givenLogin = canonicalIdentifier('login', input.login);
  let login = givenLogin;
  const email = canonicalIdentifier('email', input.email);
  if (!login) login = email;
  if (!login && !email) throw invalid('user.empty-username-and-email', 'Need to specify either username or email');
  const user = await getUser(ctx, userId);
  const patch: UserUpdate = { login, updated_at: now() };
  if (email) patch.email = email;
  const name = limitLength('user.name', (input.name ?? '').trim(), 'name');
  if (name) patch.name = name;
  const theme = limitLength('user.theme', (input.theme ?? '').trim(), 'theme');
  if (theme) patch.theme = theme;

  if (opts.selfService) {
    // The address to confirm, if this request claims one (as Grafana: a new email, else a login
    // that is an address other than the current one, which then becomes the email as well).
    let claim: { email: string; updateLogin: boolean } | undefined;
    if (email && email !== user.email) {
      claim = { email, updateLogin: user.login === user.email || givenLogin === email || !givenLogin };
    } else if (givenLogin.includes('@') && givenLogin !== user.email && givenLogin !== user.login) {
      claim = { email: givenLogin, updateLogin: true };
    }
    if (claim) {
      // Until confirmed, the account keeps its address, and its login unless a plain login was given.
      const applyNow: UserUpdate = { updated_at: patch.updated_at };
      if (givenLogin && !givenLogin.includes('@') && givenLogin !== user.login) applyNow.login = givenLogin;
      if (name) applyNow.name = name;
      if (theme) applyNow.theme = theme;
      const changesNow = Object.keys(applyNow).length > 1;
      if (applyNow.login) await checkNoClash(ctx, user, applyNow.login, user.email);
      await requestEmailChange(ctx, p, user, claim.email, claim.updateLogin && !applyNow.login, changesNow ? (trx) => saveProfile(trx, p, user, applyNow) : undefined);
      return 'pending';
    }
    // The same address (or none): nothing to confirm; never changes the verified flag.
    delete patch.email;
  } else if (patch.email !== undefined) {
    patch.email_verified = 1;
  }
  await checkNoClash(ctx, user, login, patch.email ?? user.email);
  try {
    await inTransaction(ctx, async (trx) => {
      await saveProfile(trx, p, user, patch);
      if (!opts.selfService && patch.email !== undefined) await dropPendingEmail(trx, user.id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('user.login-conflict', 'Update would result in user login conflict');
    throw err;
  }
  return 'updated';
}

/** Edits a profile: the caller's own (self-service: a new address waits for confirmation), or anyone's for a server admin. */
export async function editProfile(ctx: Ctx, p: Principal, ref: UserRef, input: ProfileUpdate): Promise<'updated' | 'pending'> {
  const userId = await targetUser(p, ref, 'user.self:write', 'users:write');
  return updateProfile(ctx, p, userId, input, { selfService: ref === 'self' });
}

async function checkNoClash(ctx: Ctx, user: User, login: string, email: string): Promise<void> {
  if (await usersStore.findIdentifierClash(ctx.db, login, email, user.id)) throw conflict('user.login-conflict', 'Update would result in user login conflict');
}

async function saveProfile(trx: Db, p: Actor, user: User, patch: UserUpdate): Promise<void> {
  const after = await usersStore.updateUserReturning(trx, user.id, patch);
  await audit(trx, p, { action: 'user.update', objectType: 'user', objectId: user.id, before: userSnapshot(user), after: userSnapshot(after) });
}

export async function setServerAdmin(ctx: Ctx, p: Actor, userId: number, isAdmin: boolean): Promise<void> {
  if (p) authorizeGlobal(p, 'users.permissions:write');
  await writeServerAdmin(ctx, p, userId, isAdmin);
}

/** setServerAdmin's work, for callers that decided themselves (single sign-on's GrafanaAdmin mapping). */
export async function writeServerAdmin(ctx: Ctx, p: Actor, userId: number, isAdmin: boolean): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const user = await findUser(trx, userId);
    if (!user) throw notFound('user.not-found', 'user not found');
    if (!isAdmin && user.is_admin) {
      if (!(await usersStore.anyServerAdminExcept(trx, userId))) throw invalid('user.last-server-admin', 'cannot remove last grafana admin');
    }
    await usersStore.updateUser(trx, userId, { is_admin: isAdmin ? 1 : 0, updated_at: now() });
    await audit(trx, p, { action: 'user.server-admin.update', objectType: 'user', objectId: userId, before: { isServerAdmin: !!user.is_admin }, after: { isServerAdmin: isAdmin } });
  });
}

export async function setDisabled(ctx: Ctx, p: Actor, userId: number, disabled: boolean): Promise<void> {
  if (p) authorizeGlobal(p, disabled ? 'users:disable' : 'users:enable');
  await writeDisabled(ctx, p, userId, disabled);
}

/** setDisabled's work, for callers that decided themselves (SCIM deprovisioning a user left in no org). */
export async function writeDisabled(ctx: Ctx, p: Actor, userId: number, disabled: boolean): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const user = await findUser(trx, userId);
    if (!user) throw notFound('user.not-found', 'user not found');
    await usersStore.updateUser(trx, userId, { is_disabled: disabled ? 1 : 0, updated_at: now() });
    if (disabled) await deleteUserSessions(trx, userId);
    await audit(trx, p, { action: disabled ? 'user.disable' : 'user.enable', objectType: 'user', objectId: userId, before: { isDisabled: !!user.is_disabled }, after: { isDisabled: disabled } });
  });
}

export async function deleteUser(ctx: Ctx, p: Actor, userId: number): Promise<void> {
  if (p) authorizeGlobal(p, 'users:delete');
  await inTransaction(ctx, async (trx) => {
    if (!(await findUser(trx, userId))) throw notFound('user.not-found', 'user not found');
    await deleteUserRow(ctx, trx, userId, p);
  });
}

/** Sets the user's current org; they must belong to it (Grafana: 401 "Not a valid organization"). */
export async function switchOrg(ctx: Ctx, p: Actor, userId: number, orgId: number): Promise<void> {
  if (!(await findMembership(ctx.db, orgId, userId))) throw unauthorized('org.not-member', 'Not a valid organization');
  await inTransaction(ctx, async (trx) => {
    const before = await usersStore.currentOrgOf(trx, userId);
    await usersStore.updateUser(trx, userId, { org_id: orgId });
    await audit(trx, p, { action: 'user.current-org.switch', objectType: 'user', objectId: userId, orgId, before: { orgId: before }, after: { orgId } });
  });
}

/** Switches the current org of the caller, or of any user for a server admin. */
export async function switchUserOrg(ctx: Ctx, p: Principal, ref: UserRef, orgId: number | (() => number)): Promise<void> {
  // Grafana reads the org id before the caller check on its own route, after it on the admin one.
  const readOrgId = () => (typeof orgId === 'number' ? orgId : orgId());
  if (ref === 'self') {
    const target = readOrgId();
    return switchOrg(ctx, p, requireSelf(p, 'user.self:write'), target);
  }
  authorizeGlobal(p, 'users:write');
  const target = readOrgId();
  return switchOrg(ctx, p, typeof ref === 'number' ? ref : await ref(), target);
}

/** A user by PostHog uuid; malformed uuids find nobody. */
export async function findUserByUuid(ctx: Ctx, uuid: string): Promise<User | undefined> {
  if (!UUID_PATTERN.test(uuid)) return undefined;
  return usersStore.findUserByUuid(ctx.db, uuid.toLowerCase());
}
