// Users: creation with auto-assign, lookups (case-insensitive), profile, server-admin flag,
// disable, delete, current-org switching. Passwords: user-passwords.ts.
import { sql } from 'kysely';
import { authorizeGlobal, requireSelf, targetUser, type Role, type UserRef } from './policy/index.ts';
import { audit, type Actor } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, ilike, likePattern, lockOrg, type Ctx, type Db } from './context.ts';
import { conflict, invalid, notFound, unauthorized } from './errors.ts';
import { grafanaUid, oncallId, UUID_PATTERN, uuidv7 } from './ids.ts';
import { ensureOwner, insertMembership } from './members.ts';
import { insertOrg, MAIN_ORG_NAME } from './orgs.ts';
import type { Principal } from './principal.ts';
import { hashPassword } from './secrets.ts';
import { validateNewPassword } from './password-policy.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { canonicalIdentifier, lookupKey } from './identity.ts';
import { limitLength } from './limits.ts';
import { precompiled } from '../store/precompiled.ts';
import type { UserRow, UserUpdate } from '../store/schema.ts';
import { dropPendingEmail, requestEmailChange } from './email-verification.ts';

export type User = UserRow;
const TEN_YEARS_MS = 10 * 365.25 * 24 * 3600 * 1000;

export async function findUser(db: Db, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getUser(ctx: Ctx, id: number): Promise<User> {
  const user = await findUser(ctx.db, id);
  if (!user) throw notFound('user.not-found', 'user not found');
  return user;
}

/** A user's account: the caller's own, or anyone's for a server admin. */
export async function readUser(ctx: Ctx, p: Principal, ref: UserRef): Promise<User> {
  return getUser(ctx, await targetUser(p, ref, 'user.self:read', 'users:read'));
}

export async function findUserByUid(ctx: Ctx, uid: string): Promise<User | undefined> {
  return ctx.db.selectFrom('users').selectAll().where('uid', '=', uid).executeTakeFirst();
}

// Every member addition looks its user up: compiled once (store/precompiled.ts).
const userBy = {
  login: precompiled((db, login: string) => db.selectFrom('users').selectAll().where('login', '=', login)),
  email: precompiled((db, email: string) => db.selectFrom('users').selectAll().where('email', '=', email)),
};

/** Grafana's GetByLogin: lower-cased; with "@" try email first, else login first. */
export async function findUserByLoginOrEmail(db: Db, loginOrEmail: string): Promise<User | undefined> {
  const key = lookupKey(loginOrEmail);
  if (!key) return undefined;
  const [first, second] = key.includes('@') ? (['email', 'login'] as const) : (['login', 'email'] as const);
  return (await userBy[first](db, key))[0] ?? (await userBy[second](db, key))[0];
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
}

/** Creates a user and, as Grafana's auto_assign_org, makes them a member of org 1 (or `orgId`). */
/** What the audit trail keeps of a user (never the password hash). */
export function userSnapshot(u: User) {
  return { id: u.id, login: u.login, email: u.email, emailVerified: !!u.email_verified, name: u.name, isServerAdmin: !!u.is_admin, isDisabled: !!u.is_disabled };
}

export async function createUser(ctx: Ctx, p: Actor, input: NewUser): Promise<User> {
  if (p) authorizeGlobal(p, 'users:create');
  let login = canonicalIdentifier('login', input.login);
  let email = canonicalIdentifier('email', input.email);
  const name = limitLength('user.name', (input.name ?? '').trim(), 'name');
  if (!login && !email) throw invalid('user.login-or-email-required', 'Validation error, need specify either username or email');
  if (!login) login = email;
  if (!email) email = login;
  if (input.password != null) validateNewPassword(ctx, input.password);
  const passwordHash = input.password != null ? await hashPassword(input.password) : null;

  try {
    return await inTransaction(ctx, async (trx) => {
      const dup = await trx
        .selectFrom('users')
        .select('id')
        .where((eb) => eb.or([eb('login', 'in', [login, email]), eb('email', 'in', [login, email])]))
        .executeTakeFirst();
      if (dup) throw userExists(input);
      const orgId = await orgForNewUser(ctx, trx, input.orgId);
      const ts = now();
      const user = await trx
        .insertInto('users')
        .values({
          uid: grafanaUid(),
          public_id: oncallId('U'),
          uuid: uuidv7(),
          login,
          email,
          name,
          password_hash: passwordHash,
          is_admin: input.isAdmin ? 1 : 0,
          is_disabled: 0,
          org_id: orgId,
          created_at: ts,
          updated_at: ts,
          last_seen_at: new Date(Date.now() - TEN_YEARS_MS).toISOString(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, p, { action: 'user.create', objectType: 'user', objectId: user.id, after: userSnapshot(user) });
      await insertMembership(trx, orgId, user.id, input.role ?? (input.isAdmin ? 'Admin' : ctx.settings.autoAssignOrgRole), p);
      return (await findUser(trx, user.id))!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw userExists(input);
    throw err;
  }
}

const userExists = (input: NewUser) =>
  conflict('user.exists', `User with email '${input.email ?? ''}' or username '${input.login ?? ''}' already exists`);

/** The org a new user joins, locked for the rest of the transaction so it cannot vanish meanwhile. */
async function orgForNewUser(ctx: Ctx, trx: Db, orgId: number | undefined): Promise<number> {
  if (orgId) {
    if (!(await lockOrg(ctx, trx, orgId))) {
      throw invalid('org.not-found', `[org.notFound] failed to get organization with ID: ${orgId}`);
    }
    return orgId;
  }
  if (await lockOrg(ctx, trx, 1)) return 1;
  // Grafana recreates "Main Org." as org 1 when the auto-assign org is missing.
  const existing = await trx.selectFrom('orgs').select('id').where('name', '=', MAIN_ORG_NAME).executeTakeFirst();
  if (existing) return existing.id;
  return (await insertOrg(trx, { name: MAIN_ORG_NAME })).id;
}

export type UserSort = 'login' | 'email' | 'name' | 'lastSeenAt' | 'created';
const USER_SORT: Record<UserSort, string> = {
  login: 'login',
  email: 'email',
  name: 'name',
  lastSeenAt: 'last_seen_at',
  created: 'created_at',
};

/** The columns a user listing shows (a 1,000-row page of whole rows costs twice as much). */
const LISTED = ['id', 'uid', 'login', 'email', 'name', 'is_admin', 'is_disabled', 'last_seen_at', 'created_at'] as const;
export type ListedUser = Pick<User, (typeof LISTED)[number]>;

function matching(ctx: Ctx, query: string | undefined) {
  const base = ctx.db.selectFrom('users');
  if (!query) return base;
  const pat = likePattern(query, 'contains');
  return base.where((eb) => eb.or([ilike('login', pat), ilike('email', pat), ilike('name', pat)]));
}

/** A position in the default user order (login, email, id). */
export type UserOrderKey = Pick<User, 'login' | 'email' | 'id'>;

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
  const sort = q.sort?.length ? q.sort : [{ key: 'login' as const, desc: false }, { key: 'email' as const, desc: false }];
  // Deferred join: the page's ids first (for the default order an index-only walk of
  // users_login_email_id, migration 0005), then only those rows. A deep page then skips index
  // entries instead of table rows.
  let ids = matching(ctx, q.query).select('id');
  const after = q.sort?.length ? undefined : q.after;
  if (after) ids = ids.where(({ eb, refTuple, tuple }) => eb(refTuple('login', 'email', 'id'), '>', tuple(after.login, after.email, after.id)));
  for (const s of sort) ids = ids.orderBy(sql.ref(USER_SORT[s.key]), s.desc ? 'desc' : 'asc');
  ids = ids.orderBy('id').limit(q.limit).offset(q.offset);
  let sel = ctx.db.selectFrom('users').select(LISTED).where('id', 'in', ids);
  for (const s of sort) sel = sel.orderBy(sql.ref(USER_SORT[s.key]), s.desc ? 'desc' : 'asc');
  return sel.orderBy('id').execute();
}

/** How many users match `query` (server admins); a scan at a million users, so callers memoize it. */
export async function countUsers(ctx: Ctx, p: Principal, query: string | undefined): Promise<number> {
  authorizeGlobal(p, 'users:read');
  return Number((await matching(ctx, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
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
export async function updateProfile(
  ctx: Ctx,
  p: Actor,
  userId: number,
  input: ProfileUpdate,
  opts: { selfService?: boolean } = {},
): Promise<'updated' | 'pending'> {
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
  const clash = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('id', '!=', user.id)
    .where((eb) => eb.or([eb('login', 'in', [login, email]), eb('email', 'in', [login, email])]))
    .executeTakeFirst();
  if (clash) throw conflict('user.login-conflict', 'Update would result in user login conflict');
}

async function saveProfile(trx: Db, p: Actor, user: User, patch: UserUpdate): Promise<void> {
  const after = await trx.updateTable('users').set(patch).where('id', '=', user.id).returningAll().executeTakeFirstOrThrow();
  await audit(trx, p, { action: 'user.update', objectType: 'user', objectId: user.id, before: userSnapshot(user), after: userSnapshot(after) });
}

export async function setServerAdmin(ctx: Ctx, p: Actor, userId: number, isAdmin: boolean): Promise<void> {
  if (p) authorizeGlobal(p, 'users.permissions:write');
  await inTransaction(ctx, async (trx) => {
    const user = await findUser(trx, userId);
    if (!user) throw notFound('user.not-found', 'user not found');
    if (!isAdmin && user.is_admin) {
      const others = await trx.selectFrom('users').select('id').where('is_admin', '=', 1).where('id', '!=', userId).executeTakeFirst();
      if (!others) throw invalid('user.last-server-admin', 'cannot remove last grafana admin');
    }
    await trx.updateTable('users').set({ is_admin: isAdmin ? 1 : 0, updated_at: now() }).where('id', '=', userId).execute();
    await audit(trx, p, { action: 'user.server-admin.update', objectType: 'user', objectId: userId, before: { isServerAdmin: !!user.is_admin }, after: { isServerAdmin: isAdmin } });
  });
}

export async function setDisabled(ctx: Ctx, p: Actor, userId: number, disabled: boolean): Promise<void> {
  if (p) authorizeGlobal(p, disabled ? 'users:disable' : 'users:enable');
  await inTransaction(ctx, async (trx) => {
    const user = await findUser(trx, userId);
    if (!user) throw notFound('user.not-found', 'user not found');
    await trx.updateTable('users').set({ is_disabled: disabled ? 1 : 0, updated_at: now() }).where('id', '=', userId).execute();
    if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
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

/**
 * Deletes a user with memberships, team memberships, keys and sessions (cascades). Refused when
 * it would leave an org without an Admin: that invariant holds for every path.
 */
export async function deleteUserRow(ctx: Ctx, trx: Db, userId: number, actor: Actor = null): Promise<void> {
  // Lock the user's orgs (in id order, as every writer does), so concurrent membership changes
  // in them wait for this delete instead of racing the last-admin check below.
  const orgs = await trx.selectFrom('org_members').select('org_id').where('user_id', '=', userId).orderBy('org_id').execute();
  for (const o of orgs) await lockOrg(ctx, trx, o.org_id);
  const soleAdminOf = await trx
    .selectFrom('org_members as m')
    .innerJoin('orgs', 'orgs.id', 'm.org_id')
    .select('orgs.name')
    .where('m.user_id', '=', userId)
    .where('m.role', '=', 'Admin')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('org_members as o')
            .select('o.user_id')
            .whereRef('o.org_id', '=', 'm.org_id')
            .where('o.role', '=', 'Admin')
            .where('o.user_id', '!=', userId),
        ),
      ),
    )
    .executeTakeFirst();
  if (soleAdminOf) {
    throw invalid('user.sole-admin', `Cannot delete the last admin of organization "${soleAdminOf.name}"`);
  }
  const owned = await trx.selectFrom('org_members').select('org_id').where('user_id', '=', userId).where('is_owner', '=', 1).execute();
  const user = await findUser(trx, userId);
  await trx.deleteFrom('users').where('id', '=', userId).execute();
  if (user) await audit(trx, actor, { action: 'user.delete', objectType: 'user', objectId: userId, before: userSnapshot(user) });
  for (const o of owned) await ensureOwner(trx, o.org_id, actor);
}

/** Sets the user's current org; they must belong to it (Grafana: 401 "Not a valid organization"). */
export async function switchOrg(ctx: Ctx, p: Actor, userId: number, orgId: number): Promise<void> {
  const m = await ctx.db
    .selectFrom('org_members')
    .select('org_id')
    .where('user_id', '=', userId)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  if (!m) throw unauthorized('org.not-member', 'Not a valid organization');
  await inTransaction(ctx, async (trx) => {
    const before = await trx.selectFrom('users').select('org_id').where('id', '=', userId).executeTakeFirstOrThrow();
    await trx.updateTable('users').set({ org_id: orgId }).where('id', '=', userId).execute();
    await audit(trx, p, { action: 'user.current-org.switch', objectType: 'user', objectId: userId, orgId, before: { orgId: before.org_id }, after: { orgId } });
  });
}

/** A user by OnCall public id (U...). */
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

export async function findUserByPublicId(db: Db, publicId: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

/** A user by PostHog uuid; malformed uuids find nobody. */
export async function findUserByUuid(ctx: Ctx, uuid: string): Promise<User | undefined> {
  if (!UUID_PATTERN.test(uuid)) return undefined;
  return ctx.db.selectFrom('users').selectAll().where('uuid', '=', uuid.toLowerCase()).executeTakeFirst();
}
