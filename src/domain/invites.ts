// Invitations: an org member invites an email address with a role; the user whose confirmed
// email it is accepts with the invite's secret code and joins with that role. The code is mailed
// to the address (when this server sends mail) or shown once to the inviter to pass on; the id
// that members see in lists is not enough. Invites made here expire after three days (PostHog's
// INVITE_DAYS_VALIDITY); Grafana's face makes its own with its lifetime (org-invites.ts), in the
// same table, so every face sees and withdraws the same invites.
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, lockOrg, type Ctx, type Db } from './context.ts';
import { conflict, forbidden, invalid, notFound } from './errors.ts';
import { uuidv7 } from './ids.ts';
import { getMembership, insertMembership } from './members.ts';
import { findOrg, orgSettings } from './orgs.ts';
import type { Principal } from './principal.ts';
import { levelOf, posthogLevel, type Role } from './policy/index.ts';
import { findUser } from './users.ts';
import { equalsConstantTime, newOneTimeCode } from './secrets.ts';
import { inviteMessage } from '../mail/messages.ts';
import { enqueueMail } from '../mail/outbox.ts';
import type { InviteRow } from '../store/schema.ts';
import type { Message } from '../mail/transport.ts';
import { limitLength } from './limits.ts';
import * as invitesStore from '../store/invites.ts';
import { markOwner, memberWithEmail } from '../store/org-members.ts';

export const INVITE_DAYS_VALIDITY = 3;
const DAY_MS = 24 * 3600 * 1000;

export interface Invite {
  id: string;
  orgId: number;
  email: string;
  firstName: string;
  role: Role;
  isOwner: boolean;
  message: string | null;
  privateProjectAccess: unknown[];
  createdBy: number | null;
  emailingAttemptMade: boolean;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  isExpired: boolean;
}

export function toInvite(row: InviteRow, at = Date.now()): Invite {
  let access: unknown[] = [];
  try {
    const v = JSON.parse(row.private_project_access);
    if (Array.isArray(v)) access = v;
  } catch {
    // unreadable access list: shown as empty
  }
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    firstName: row.first_name,
    role: row.role as Role,
    isOwner: !!row.is_owner,
    message: row.message,
    privateProjectAccess: access,
    createdBy: row.created_by,
    emailingAttemptMade: !!row.emailing_attempt_made,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    isExpired: Date.parse(row.expires_at) <= at,
  };
}

/** PostHog lower-cases the domain part of an invited address only. */
export function normalizeInviteEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? email : email.slice(0, at) + email.slice(at).toLowerCase();
}

async function requireMember(ctx: Ctx, p: Principal, orgId: number) {
  const m = p.userId === null ? undefined : await getMembership(ctx, orgId, p.userId);
  if (!m) throw forbidden('invites', 'You do not have permission to perform this action.', 'invite.not-member');
  return m;
}

/** Every invite of an org, expired ones included, newest first. Members only. */
export async function listInvites(ctx: Ctx, p: Principal, orgId: number, page: { limit: number; offset: number }) {
  await requireMember(ctx, p, orgId);
  const { total, rows } = await invitesStore.selectInvites(ctx.db, orgId, page);
  return { total, invites: rows.map((r) => toInvite(r)) };
}

export interface NewInvite {
  email: string;
  firstName?: string;
  role: Role;
  isOwner: boolean;
  message?: string | null;
  privateProjectAccess?: unknown[];
  /** Merge the still-valid invites of this address into the new one (highest role wins). */
  combinePending?: boolean;
  /** PostHog's send_email (default true): mail the code, when this server sends mail. */
  sendEmail?: boolean;
  /** How long the invite lasts; default INVITE_DAYS_VALIDITY days. */
  lifetimeMs?: number;
  /** The mail carrying the code; default the native API's (accept with POST .../accept). */
  mail?: (to: string, o: InviteMailFacts) => Message;
}

/** What an invite's mail tells. */
export interface InviteMailFacts {
  orgName: string;
  inviter: string;
  role: string;
  inviteId: string;
  code: string;
  expiresAt: string;
  message: string | null;
}

/** A new invite; `code` is set when it was not mailed: the inviter passes it on (shown once). */
export type CreatedInvite = Invite & { code: string | null };

export async function createInvite(ctx: Ctx, p: Principal, orgId: number, input: NewInvite): Promise<CreatedInvite> {
  return (await createInvites(ctx, p, orgId, [input]))[0];
}

/**
 * Creates invites all or nothing: every one is checked (the inviter's level, members_can_invite,
 * addresses already in the org) before any is written.
 */
export async function createInvites(ctx: Ctx, p: Principal, orgId: number, inputs: NewInvite[]): Promise<CreatedInvite[]> {
  for (const input of inputs) {
    limitLength('user.email', input.email, 'target_email');
    limitLength('invite.firstName', input.firstName, 'first_name');
    limitLength('invite.message', input.message, 'message');
  }
  const inviter = await requireMember(ctx, p, orgId);
  const org = await findOrg(ctx.db, orgId);
  if (!org) throw notFound('org.not-found', 'Organization not found.');
  const inviterLevel = levelOf(inviter);
  if (orgSettings(org).membersCanInvite === false && inviterLevel < 8) {
    throw forbidden('invites', 'You do not have permission to perform this action.', 'invite.members-cannot-invite');
  }
  for (const input of inputs) {
    if (posthogLevel(input.role, input.role === 'Admin' && input.isOwner) > inviterLevel) {
      throw forbidden('invites', 'You cannot invite a user with a higher permission level than your own.', 'invite.higher-level');
    }
    if (await memberWithEmail(ctx.db, orgId, normalizeInviteEmail(input.email).toLowerCase()))
      throw conflict('invite.already-member', 'A user with this email address already belongs to the organization.');
  }
  const created = await inTransaction(ctx, async (trx) => {
    const made: CreatedInvite[] = [];
    for (const input of inputs) made.push(await insertInvite(ctx, trx, p, org, input));
    return made;
  });
  if (created.some((i) => i.emailingAttemptMade)) ctx.mailQueued?.();
  return created;
}

/** Replaces the address's earlier invites to this org with a new one, and mails its code (or returns it). */
export async function insertInvite(ctx: Ctx, trx: Db, p: Principal, org: { id: number; name: string }, input: NewInvite): Promise<CreatedInvite> {
  const orgId = org.id;
  const email = normalizeInviteEmail(input.email);
  let role = input.role;
  let isOwner = role === 'Admin' && input.isOwner;
  if (input.combinePending) {
    const previous = await invitesStore.invitesToAddress(trx, orgId, email);
    for (const prev of previous.map((r) => toInvite(r)).filter((i) => !i.isExpired)) {
      if (posthogLevel(prev.role, prev.isOwner) > posthogLevel(role, isOwner)) {
        role = prev.role;
        isOwner = prev.isOwner;
      }
    }
  }
  await invitesStore.deleteInvitesToAddress(trx, orgId, email);
  const ts = new Date();
  const code = newOneTimeCode();
  const mail = ctx.settings.mailEnabled && input.sendEmail !== false;
  const row = await invitesStore.insertInvite(trx, {
    id: uuidv7(),
    org_id: orgId,
    email,
    first_name: input.firstName ?? '',
    role,
    is_owner: isOwner ? 1 : 0,
    message: input.message ?? null,
    private_project_access: JSON.stringify(input.privateProjectAccess ?? []),
    created_by: p.userId,
    emailing_attempt_made: mail ? 1 : 0,
    code_hash: ctx.hasher.hash(code),
    created_at: ts.toISOString(),
    updated_at: ts.toISOString(),
    expires_at: new Date(ts.getTime() + (input.lifetimeMs ?? INVITE_DAYS_VALIDITY * DAY_MS)).toISOString(),
  });
  if (mail) {
    const facts = { orgName: org.name, inviter: p.login, role: isOwner ? 'Admin (owner)' : role, inviteId: row.id, code, expiresAt: row.expires_at, message: row.message };
    await enqueueMail(trx, input.mail ? input.mail(email, facts) : inviteMessage(email, { ...facts, acceptUrl: `${ctx.settings.publicUrl}/api/roster/v1/invites/${row.id}/accept` }));
  }
  await audit(trx, p, { action: 'invite.create', objectType: 'invite', objectId: row.id, orgId, after: { email, role, isOwner, expiresAt: row.expires_at, mailed: mail } });
  return { ...toInvite(row), code: mail ? null : code };
}

/** Admins (PostHog level 8+) withdraw an invite of their org. */
export async function deleteInvite(ctx: Ctx, p: Principal, orgId: number, inviteId: string): Promise<void> {
  const m = await requireMember(ctx, p, orgId);
  if (levelOf(m) < 8) throw forbidden('invites', 'Your organization access level is insufficient.', 'posthog.level');
  await inTransaction(ctx, async (trx) => {
    if (!(await invitesStore.deleteInviteRow(trx, orgId, inviteId))) throw notFound('invite.not-found', 'Not found.');
    await audit(trx, p, { action: 'invite.delete', objectType: 'invite', objectId: inviteId, orgId });
  });
}

const inviteNotFound = () => notFound('invite.not-found', 'Invite not found');

/**
 * The signed-in user accepts an invite with its code and joins with its role. An unknown id and a
 * wrong or missing code answer the same 404, so the answer tells nothing about which was wrong.
 * With the right code, the invite must name the user's email, and that email must be verified
 * (set by an admin or confirmed through a mailed link): an address one merely typed in does not
 * count. The code works once.
 */
export async function acceptInvite(ctx: Ctx, p: Principal, inviteId: string, code: string | undefined): Promise<{ orgId: number; orgUuid: string; role: Role; isOwner: boolean }> {
  if (p.kind !== 'user' || p.userId === null) throw forbidden('invites', 'Only a signed-in user can accept an invite', 'invite.user-only');
  const userId = p.userId;
  const hash = ctx.hasher.hash(code ?? '');
  const row = await invitesStore.findInviteRow(ctx.db, inviteId);
  if (!row || !code || !row.code_hash || !equalsConstantTime(row.code_hash, hash)) throw inviteNotFound();
  const invite = toInvite(row);
  const user = await findUser(ctx.db, userId);
  if (!user || user.email.toLowerCase() !== invite.email.toLowerCase()) {
    throw forbidden('invites', 'This invite is addressed to another email address', 'invite.email-mismatch');
  }
  if (!user.email_verified) {
    throw forbidden('invites', 'Your email address is not verified; confirm it (or ask a server admin to set it) before accepting', 'invite.email-unverified');
  }
  if (invite.isExpired) throw invalid('invite.expired', 'This invite has expired');
  const orgUuid = await inTransaction(ctx, async (trx) => {
    if (!(await lockOrg(ctx, trx, invite.orgId))) throw inviteNotFound();
    // Completing it is the claim: of two concurrent accepts, only one finds the invite still pending.
    if (!(await invitesStore.claimInvite(trx, invite.id, hash, now()))) throw inviteNotFound();
    await insertMembership(ctx, trx, invite.orgId, userId, invite.role, { actor: p });
    if (invite.isOwner) {
      await markOwner(trx, invite.orgId, userId, now());
    }
    await audit(trx, p, { action: 'invite.accept', objectType: 'invite', objectId: invite.id, orgId: invite.orgId, after: { role: invite.role, isOwner: invite.isOwner } });
    // The org is locked, so it still exists.
    return (await findOrg(trx, invite.orgId))!.uuid;
  });
  return { orgId: invite.orgId, orgUuid, role: invite.role, isOwner: invite.isOwner };
}
