// A single sign-on, once the provider's ID token is verified: finds the user linked to the
// provider's issuer and subject (or creates one, when sign-up is allowed), and brings their
// name, email, org roles, server-admin flag and synced teams in line with the claims, all in
// one transaction: a refusal leaves nothing behind. docs/sso.md.
import type { OidcConfig } from '../config-oidc.ts';
import type { Role } from '../role-names.ts';
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, withOrgLock, type Ctx, type Db } from './context.ts';
import { isDomainError } from './errors.ts';
import { changeMemberRole, deleteMembership, insertMembership } from './members.ts';
import type { Principal } from './principal.ts';
import { mapOrgRoles } from './sso-orgs.ts';
import { refused, type SsoProfile } from './sso-profile.ts';
import { syncTeams } from './team-groups.ts';
import { insertNewUser, updateProfile, writeServerAdmin } from './users.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { findIdentifierClash, findUserById } from '../store/users.ts';
import { findIdentity, insertIdentity, stampIdentityLogin } from '../store/user-identities.ts';
import { findMembership, orgIdsOfUser } from '../store/org-members.ts';
import { findOrgById } from '../store/orgs.ts';

export type SsoPolicy = Pick<OidcConfig, 'name' | 'allowSignUp' | 'allowAssignGrafanaAdmin' | 'orgMapping' | 'roleAttributeStrict'>;

/** Who acts in the audit trail: the user signing in (none yet while their account is created), through the sso face. */
function ssoActor(user: { id: number; login: string } | null, requestId: string): Principal {
  return { kind: 'user', userId: user?.id ?? null, serviceAccountId: null, tokenId: null, login: user?.login ?? 'sso', orgId: -1, role: null, isServerAdmin: false, via: { face: 'sso', requestId } };
}

/** A refusal of the domain's own rules (an org's last Admin, the last server admin) skips that one change, as Grafana's sync does. */
async function unlessRefused(change: () => Promise<unknown>): Promise<void> {
  try {
    await change();
  } catch (err) {
    // A mapped org at its member quota is skipped like any other refused change: the refusal
    // comes before anything is written, so the sign-in's transaction goes on.
    if (!isDomainError(err) || (err.kind !== 'invalid' && err.code !== 'quota.reached')) throw err;
  }
}

export async function ssoSignIn(ctx: Ctx, policy: SsoPolicy, profile: SsoProfile, requestId: string): Promise<{ userId: number; created: boolean }> {
  const orgRoles = await mapOrgRoles(ctx.db, policy.orgMapping, profile.groups, profile.role, { strict: policy.roleAttributeStrict, autoAssignRole: ctx.settings.autoAssignOrgRole });
  if (!orgRoles) throw refused('no-role', 'The identity provider gave this user no role, and a role is required (ROSTER_OIDC_ROLE_ATTRIBUTE_STRICT)');
  try {
    return await signIn(ctx, policy, profile, requestId, orgRoles);
  } catch (err) {
    // Two first sign-ins of one identity at once (two browsers): the second finds the user or
    // the link made meanwhile only by colliding with it.
    if (isUniqueViolation(err) || isDomainError(err, 'user.exists')) throw refused('concurrent', 'Another sign-in of this account was under way: sign in again');
    // Sign-up past the server's user quota, or into a first org at its member quota.
    if (isDomainError(err, 'quota.reached')) throw refused('quota-reached', `${err.message}: no new user can be created`);
    throw err;
  }
}

async function signIn(ctx: Ctx, policy: SsoPolicy, profile: SsoProfile, requestId: string, orgRoles: Map<number, Role>): Promise<{ userId: number; created: boolean }> {
  return inTransaction(ctx, async (trx) => {
    const tctx: Ctx = { ...ctx, db: trx };
    const ts = now();
    const identity = await findIdentity(trx, profile.issuer, profile.subject);
    let userId: number;
    let created = false;
    if (identity) {
      const user = (await findUserById(trx, identity.user_id))!;
      if (user.is_disabled) throw refused('disabled', 'User is disabled');
      userId = user.id;
      await stampIdentityLogin(trx, identity.id, ts);
      if (user.email !== profile.email || user.login !== profile.login || user.name !== profile.name) {
        if (await findIdentifierClash(trx, profile.login, profile.email, user.id)) {
          throw refused('identifier-taken', `The email or login the identity provider sent (${profile.email}) belongs to another user`);
        }
        await updateProfile(tctx, ssoActor(user, requestId), user.id, { login: profile.login, email: profile.email, name: profile.name });
      }
    } else {
      if (!policy.allowSignUp) throw refused('sign-up-disabled', `No user is linked to this ${policy.name} account, and sign-up through it is disabled`);
      if (await findIdentifierClash(trx, profile.login, profile.email)) {
        throw refused('user-exists', `A user with the email or login ${profile.email} exists but is not linked to this ${policy.name} account: it cannot be taken over by signing in`);
      }
      const [firstOrg, firstRole] = await firstExistingOrg(trx, orgRoles);
      const user = await insertNewUser(tctx, ssoActor(null, requestId), { login: profile.login, email: profile.email, name: profile.name, password: null, orgId: firstOrg, role: firstRole });
      await insertIdentity(trx, user.id, profile.issuer, profile.subject, ts);
      userId = user.id;
      created = true;
    }
    const user = (await findUserById(trx, userId))!;
    const actor = ssoActor(user, requestId);
    await syncOrgs(tctx, actor, userId, orgRoles);
    if (policy.allowAssignGrafanaAdmin && !!user.is_admin !== profile.grafanaAdmin) {
      await unlessRefused(() => writeServerAdmin(tctx, actor, userId, profile.grafanaAdmin));
    }
    await syncTeams(trx, actor, userId, profile.groups);
    await audit(trx, actor, { action: 'user.sso.login', objectType: 'user', objectId: userId, after: { issuer: profile.issuer, subject: profile.subject, created, groups: profile.groups } });
    return { userId, created };
  });
}

/** The lowest-id mapped org that exists, for a new user's first membership (none: the auto-assign org). */
async function firstExistingOrg(db: Db, orgRoles: Map<number, Role>): Promise<[number | undefined, Role | undefined]> {
  for (const orgId of [...orgRoles.keys()].sort((a, b) => a - b)) {
    if (await findOrgById(db, orgId)) return [orgId, orgRoles.get(orgId)];
  }
  return [undefined, undefined];
}

/**
 * The user's memberships become the mapped ones: joins, role changes and removals, org by org in
 * id order (every writer locks orgs in that order). A mapped org that does not exist is skipped.
 */
async function syncOrgs(ctx: Ctx, actor: Principal, userId: number, orgRoles: Map<number, Role>): Promise<void> {
  const current = new Set(await orgIdsOfUser(ctx.db, userId));
  const orgIds = [...new Set([...current, ...orgRoles.keys()])].sort((a, b) => a - b);
  for (const orgId of orgIds) {
    const role = orgRoles.get(orgId);
    if (!role) {
      await unlessRefused(() => deleteMembership(ctx, actor, orgId, userId));
    } else if (!current.has(orgId)) {
      await unlessRefused(() =>
        withOrgLock(ctx, orgId, role === 'Admin' ? 'exclusive' : 'shared', async (trx, { found, lock }) =>
          (await found) ? insertMembership(ctx, trx, orgId, userId, role, { actor, lock }) : undefined,
        ),
      );
    } else {
      const m = await findMembership(ctx.db, orgId, userId);
      if (m && m.role !== role) await unlessRefused(() => changeMemberRole(ctx, actor, orgId, userId, role));
    }
  }
}
