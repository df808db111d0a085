// Grafana's org invites (pkg/api/org_invite.go), kept in the one invites table every face reads:
// an org Admin invites a login or email with a role. An existing user joins at once; anyone else
// gets an invite with a secret code (mailed when asked and this server sends mail, else handed
// back once to the inviter), which completes a sign-up: the new account joins the org with the
// invite's role and is signed in. Invites last ROSTER_USER_INVITE_MAX_LIFETIME (Grafana's
// user_invite_max_lifetime_duration, 24h). Only the code's keyed hash is kept, so the code is
// never listed: lists show the invite's id in its place, and revoking takes either.
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, type Ctx } from './context.ts';
import { conflict, forbidden, invalid, isDomainError, notFound } from './errors.ts';
import { foldIdentifier } from './identity.ts';
import { insertInvite, normalizeInviteEmail, toInvite } from './invites.ts';
import { limitLength } from './limits.ts';
import { addMember, checkRoleCeiling, validateRole } from './members.ts';
import { findOrg } from './orgs.ts';
import { authorize, type Role } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { UUID_PATTERN } from './ids.ts';
import { findUserByLoginOrEmail, insertNewUser, type User } from './users.ts';
import { signUpInviteMessage } from '../mail/messages.ts';
import * as invitesStore from '../store/invites.ts';
import type { InviteWithInviter } from '../store/invites.ts';
import { markOwner } from '../store/org-members.ts';

/** Grafana's TempUserStatus names. */
export type GrafanaInviteStatus = 'InvitePending' | 'Revoked' | 'Completed' | 'Expired';

export interface PendingInvite {
  id: string;
  orgId: number;
  email: string;
  name: string;
  role: Role;
  invitedByLogin: string;
  invitedByEmail: string;
  invitedByName: string;
  emailSent: boolean;
  createdOn: string;
}

/** A plain check of an address's shape (one @, something either side, no spaces), as Grafana's util.IsEmail decides whether to mail. */
export function isEmailAddress(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
}

function pendingInvite(row: InviteWithInviter): PendingInvite {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    name: row.first_name,
    role: row.role as Role,
    invitedByLogin: row.inviter_login ?? '',
    invitedByEmail: row.inviter_email ?? '',
    invitedByName: row.inviter_name ?? '',
    emailSent: !!row.emailing_attempt_made,
    createdOn: row.created_at,
  };
}

/** Grafana's status of an invite: its stored status, or Expired once its time is up. */
function statusOf(row: InviteWithInviter, at = Date.now()): GrafanaInviteStatus {
  if (row.status === 'revoked') return 'Revoked';
  if (row.status === 'completed') return 'Completed';
  return toInvite(row, at).isExpired ? 'Expired' : 'InvitePending';
}

/** The org's pending invites that have not expired (Grafana's GetPendingOrgInvites), for those who may add members. */
export async function listPendingInvites(ctx: Ctx, p: Principal, orgId: number): Promise<PendingInvite[]> {
  await authorize(ctx, p, 'org.users:add', orgId);
  return (await invitesStore.selectLiveInvites(ctx.db, orgId, now())).map(pendingInvite);
}

export interface OrgInviteInput {
  loginOrEmail: string;
  name?: string;
  role: unknown;
  sendEmail?: boolean;
}

export type OrgInviteOutcome =
  | { kind: 'existing'; userId: number; userName: string; orgName: string }
  /** `code`: set when not mailed, for the inviter to pass on (shown once). */
  | { kind: 'invited'; inviteId: string; mailed: boolean; code: string | null };

/** Grafana's message when an invite should be mailed and no SMTP server is configured. */
export const SMTP_NOT_CONFIGURED = "SMTP not configured, check your grafana.ini config file's [smtp] section";

/**
 * Grafana's AddOrgInvite: the role must be valid and within the caller's own (server admins
 * excepted); an existing user (by login or email) is added at once, anyone else gets an invite.
 * Asking for mail on a server that sends none is refused before anything is written (Grafana
 * answers 412 after saving the invite).
 */
export async function inviteToOrg(ctx: Ctx, p: Principal, orgId: number, input: OrgInviteInput): Promise<OrgInviteOutcome> {
  await authorize(ctx, p, 'org.users:add', orgId);
  const role = validateRole(input.role);
  await checkRoleCeiling(ctx, p, orgId, role);
  const target = input.loginOrEmail.trim();
  limitLength('user.email', target, 'loginOrEmail');
  limitLength('invite.firstName', input.name, 'name');
  const existing = await findUserByLoginOrEmail(ctx.db, target);
  if (existing) return addExisting(ctx, p, orgId, existing, target, role);

  const mail = !!input.sendEmail && isEmailAddress(target);
  if (mail && !ctx.settings.mailEnabled) throw invalid('invite.smtp-not-configured', SMTP_NOT_CONFIGURED);
  const org = await findOrg(ctx.db, orgId);
  if (!org) throw notFound('org.not-found', 'Organization not found');
  const infoUrl = (code: string) => `${ctx.settings.publicUrl}/api/user/invite/${code}`;
  const created = await inTransaction(ctx, (trx) =>
    insertInvite(ctx, trx, p, org, {
      email: target,
      firstName: input.name ?? '',
      role,
      isOwner: false,
      sendEmail: mail,
      lifetimeMs: ctx.settings.userInviteLifetimeMs,
      mail: (to, f) => signUpInviteMessage(to, { ...f, infoUrl: infoUrl(f.code), completeUrl: `${ctx.settings.publicUrl}/api/user/invite/complete` }),
    }),
  );
  if (created.emailingAttemptMade) ctx.mailQueued?.();
  return { kind: 'invited', inviteId: created.id, mailed: created.emailingAttemptMade, code: created.code };
}

async function addExisting(ctx: Ctx, p: Principal, orgId: number, user: User, target: string, role: Role): Promise<OrgInviteOutcome> {
  try {
    const { userId } = await addMember(ctx, p, orgId, { loginOrEmail: target, role });
    const org = await findOrg(ctx.db, orgId);
    return { kind: 'existing', userId, userName: user.name || user.login || user.email, orgName: org?.name ?? '' };
  } catch (err) {
    if (isDomainError(err, 'member.exists')) throw conflict('invite.already-member', `User ${target} is already added to organization`);
    throw err;
  }
}

/** An invite by its secret code or, for its org's admins, by the id lists show in its place. */
async function findByCodeOrId(ctx: Ctx, codeOrId: string): Promise<InviteWithInviter | undefined> {
  const byCode = await invitesStore.findInviteByCodeHash(ctx.db, ctx.hasher.hash(codeOrId));
  if (byCode || !UUID_PATTERN.test(codeOrId)) return byCode;
  const row = await invitesStore.findInviteRow(ctx.db, codeOrId.toLowerCase());
  return row && { ...row, inviter_login: null, inviter_email: null, inviter_name: null };
}

/**
 * Grafana's RevokeInvite: for those who may add members to the caller's org; an invite of another
 * org only for a server admin. Revoking an invite that is no longer pending changes nothing.
 */
export async function revokeOrgInvite(ctx: Ctx, p: Principal, codeOrId: string): Promise<void> {
  await authorize(ctx, p, 'org.users:add', p.orgId);
  const row = await findByCodeOrId(ctx, codeOrId);
  if (!row) throw notFound('invite.not-found', 'Invite not found');
  if (row.org_id !== p.orgId && !p.isServerAdmin) throw forbidden('org.users:add', 'Permission denied: not permitted to revoke invite', 'invite.foreign-org');
  await inTransaction(ctx, async (trx) => {
    if (await invitesStore.closeInvite(trx, row.id, 'revoked', now())) {
      await audit(trx, p, { action: 'invite.revoke', objectType: 'invite', objectId: row.id, orgId: row.org_id, before: { email: row.email, role: row.role } });
    }
  });
}

export interface InviteInfo {
  email: string;
  name: string;
  username: string;
  invitedBy: string;
  orgName: string;
}

const inviteNotFound = () => notFound('invite.not-found', 'Invite not found');

/** Grafana's GetInviteInfoByCode, for anyone holding the code: a pending, unexpired invite, else 404. */
export async function inviteInfo(ctx: Ctx, code: string): Promise<InviteInfo> {
  const row = code ? await invitesStore.findInviteByCodeHash(ctx.db, ctx.hasher.hash(code)) : undefined;
  if (!row || statusOf(row) !== 'InvitePending') throw inviteNotFound();
  const org = await findOrg(ctx.db, row.org_id);
  if (!org) throw notFound('org.not-found', 'org not found');
  return {
    email: row.email,
    name: row.first_name,
    username: row.email,
    invitedBy: row.inviter_name || row.inviter_login || row.inviter_email || '',
    orgName: org.name,
  };
}

export interface CompleteInviteInput {
  inviteCode: string;
  email: string;
  username?: string;
  name?: string;
  password?: string;
}

/**
 * Grafana's CompleteInvite: the code's holder signs up. The email must be the invite's when the
 * invite names an address; the new account joins only the invite's org (Grafana skips the
 * auto-assign org) with its role, and the invite is completed in the same transaction, so a code
 * works once. The address counts as verified only when the code was mailed to it.
 */
export async function completeInvite(ctx: Ctx, input: CompleteInviteInput, via: Principal['via']): Promise<User> {
  const email = foldIdentifier(input.email);
  if (!isEmailAddress(email)) throw invalid('invite.email-invalid', 'Invalid email address provided');
  const username = (input.username ?? '').trim();
  const row = input.inviteCode ? await invitesStore.findInviteByCodeHash(ctx.db, ctx.hasher.hash(input.inviteCode)) : undefined;
  if (!row) throw inviteNotFound();
  const status = statusOf(row);
  if (status !== 'InvitePending') throw unusable(status);
  const invited = foldIdentifier(normalizeInviteEmail(row.email));
  if (isEmailAddress(invited) && invited !== email) throw invalid('invite.email-mismatch', 'The provided email is different from the address that is found in the invite');
  const invite = toInvite(row);
  const actor: Principal = { kind: 'user', userId: null, serviceAccountId: null, tokenId: null, login: username || email, orgId: invite.orgId, role: null, isServerAdmin: false, via };
  return insertNewUser(ctx, null, {
    login: username || email,
    email,
    name: input.name ?? '',
    password: input.password ?? '',
    orgId: invite.orgId,
    role: invite.role,
    emailVerified: invite.emailingAttemptMade && isEmailAddress(invited),
    alsoInTransaction: async (trx, user) => {
      // The claim: of two sign-ups with one code, only one finds the invite still pending.
      if (!(await invitesStore.claimInvite(trx, invite.id, row.code_hash!, now()))) throw unusable('Completed');
      if (invite.isOwner) await markOwner(trx, invite.orgId, user.id, now());
      await audit(trx, { ...actor, userId: user.id }, { action: 'invite.complete', objectType: 'invite', objectId: invite.id, orgId: invite.orgId, after: { userId: user.id, role: invite.role } });
    },
  });
}

const unusable = (status: GrafanaInviteStatus) => conflict('invite.unusable', `Invite cannot be used in status ${status}`);
