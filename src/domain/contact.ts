// A user's contact details: timezone (shared with Grafana's user preferences), phone number
// with verified and private flags, and Slack identities. On-call tools read them; only Roster's
// native API writes them.
import { audit } from './audit.ts';
import { can } from './policy/index.ts';
import { now } from './clock.ts';
import { inTransaction, type Ctx, type Db } from './context.ts';
import { forbidden, invalid, notFound } from './errors.ts';
import type { Principal } from './principal.ts';
import { contactOf, contactRows, replaceSlackIdentities, slackIdentitiesOf, updateContactColumns } from '../store/contacts.ts';
import { isMember } from '../store/org-members.ts';
import { findUser, findUserByPublicId } from './user-lookup.ts';

export interface SlackIdentity {
  userId: string;
  teamId: string;
}

export interface Contact {
  timezone: string | null;
  phoneNumber: string | null;
  phoneVerified: boolean;
  phonePrivate: boolean;
  slack: SlackIdentity[];
}

export type PhoneStatus = 'available' | 'private' | 'not_configured';

/** What an API shows of a phone number. */
export interface PhoneView {
  number: string | null;
  verified: boolean;
  status: PhoneStatus;
}

/**
 * Only a verified number counts: no verified number is "not_configured". A private one is hidden
 * unless the org overrides phone privacy for the API (docs/compat/oncall.md#object-shapes).
 */
export function phoneView(c: Contact, privacyOverride: boolean): PhoneView {
  if (!c.phoneNumber || !c.phoneVerified) return { number: null, verified: false, status: 'not_configured' };
  if (c.phonePrivate && !privacyOverride) return { number: null, verified: true, status: 'private' };
  return { number: c.phoneNumber, verified: true, status: 'available' };
}

const zones = new Map<string, string | undefined>();

/** The canonical IANA name ("europe/paris" -> "Europe/Paris"), or undefined when unknown. */
function canonicalTimezone(tz: string): string | undefined {
  if (zones.has(tz)) return zones.get(tz);
  let canonical: string | undefined;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    canonical = undefined;
  }
  if (zones.size < 1000) zones.set(tz, canonical);
  return canonical;
}

const EMPTY: Contact = { timezone: null, phoneNumber: null, phoneVerified: false, phonePrivate: false, slack: [] };

/** Contacts of many users at once (no permission check: callers authorize for their face). */
export async function loadContacts(db: Db, userIds: number[]): Promise<Map<number, Contact>> {
  const out = new Map<number, Contact>();
  if (userIds.length === 0) return out;
  const users = await contactRows(db, userIds);
  for (const u of users) {
    out.set(u.id, {
      // Grafana preferences may hold "browser" or "utc"; contact readers get an IANA name or null.
      timezone: (u.timezone && canonicalTimezone(u.timezone)) || null,
      phoneNumber: u.phone_number || null,
      phoneVerified: !!u.phone_verified,
      phonePrivate: !!u.phone_private,
      slack: [],
    });
  }
  const slack = await slackIdentitiesOf(db, userIds);
  for (const s of slack) out.get(s.user_id)?.slack.push({ userId: s.slack_user_id, teamId: s.slack_team_id });
  return out;
}

/**
 * Who may read and change a user's contact: the user themself; an Admin of the caller's current
 * org (or an Admin service account) for that org's members; a server admin for anyone. Users the
 * caller cannot see at all are "not found", so ids of other orgs' users do not leak.
 */
async function authorizeContact(ctx: Ctx, p: Principal, userId: number): Promise<{ isAdmin: boolean }> {
  if (p.isServerAdmin) return { isAdmin: true };
  const inCallerOrg = p.orgId > 0 && (await isMember(ctx.db, p.orgId, userId));
  if (inCallerOrg && (await can(ctx, p, 'org.users:write', p.orgId))) return { isAdmin: true };
  if (p.kind !== 'service-account' && p.userId === userId) return { isAdmin: false };
  if (!inCallerOrg) throw notFound('user.not-found', 'User not found');
  throw forbidden('users.contact:write', "Only the user or an organization admin can access this user's contact details");
}

/** A user as a contact path names them: by id, or by OnCall public id (U...). */
export type ContactUserRef = { id: number } | { publicId: string };

/** A user's contact details with the user's ids. */
export interface UserContact extends Contact {
  userId: number;
  publicId: string;
}

async function contactUser(ctx: Ctx, ref: ContactUserRef): Promise<{ id: number; public_id: string }> {
  const user = 'id' in ref ? await findUser(ctx.db, ref.id) : await findUserByPublicId(ctx.db, ref.publicId);
  if (!user) throw notFound('user.not-found', 'User not found');
  return user;
}

export async function getContact(ctx: Ctx, p: Principal, ref: ContactUserRef): Promise<UserContact> {
  const user = await contactUser(ctx, ref);
  await authorizeContact(ctx, p, user.id);
  return { ...((await loadContacts(ctx.db, [user.id])).get(user.id) ?? EMPTY), userId: user.id, publicId: user.public_id };
}

export interface ContactPatch {
  timezone?: string | null;
  phoneNumber?: string | null;
  phoneVerified?: boolean;
  phonePrivate?: boolean;
  slack?: SlackIdentity[];
}

const E164 = /^\+[1-9]\d{6,14}$/;
const SLACK_ID = /^[A-Za-z0-9_-]{1,64}$/;

function normalizePatch(patch: ContactPatch): ContactPatch {
  const out: ContactPatch = { ...patch };
  if (patch.timezone !== undefined) {
    const tz = patch.timezone?.trim() || null;
    const canonical = tz === null ? null : canonicalTimezone(tz);
    if (canonical === undefined) throw invalid('contact.timezone-invalid', `Unknown time zone "${tz}"`, { field: 'timezone' });
    out.timezone = canonical;
  }
  if (patch.phoneNumber !== undefined) {
    const number = patch.phoneNumber?.replace(/[\s()-]/g, '') || null;
    if (number !== null && !E164.test(number)) {
      throw invalid('contact.phone-invalid', 'Phone number must be in E.164 form, e.g. +12345678901', { field: 'phone_number' });
    }
    out.phoneNumber = number;
  }
  if (patch.slack !== undefined) {
    const teams = new Set<string>();
    for (const s of patch.slack) {
      if (!SLACK_ID.test(s.userId) || !SLACK_ID.test(s.teamId)) {
        throw invalid('contact.slack-invalid', 'Slack user_id and team_id must be 1-64 letters, digits, "-" or "_"', { field: 'slack' });
      }
      if (teams.has(s.teamId)) throw invalid('contact.slack-duplicate-team', 'At most one Slack identity per Slack team', { field: 'slack' });
      teams.add(s.teamId);
    }
  }
  return out;
}

/**
 * Changes a user's contact details in one transaction. Only admins may mark a number verified;
 * a changed number is unverified unless the same request verifies it, so a user changing their
 * own number always ends up unverified.
 */
export async function updateContact(ctx: Ctx, p: Principal, ref: ContactUserRef, input: ContactPatch): Promise<UserContact> {
  const user = await contactUser(ctx, ref);
  const userId = user.id;
  const { isAdmin } = await authorizeContact(ctx, p, userId);
  if (input.phoneVerified !== undefined && !isAdmin) {
    throw forbidden('users.contact:verify', 'Only an organization admin can change whether a phone number is verified', 'contact.verify-admin-only');
  }
  const patch = normalizePatch(input);
  await inTransaction(ctx, async (trx) => {
    const cur = await contactOf(trx, userId);
    if (!cur) throw notFound('user.not-found', 'User not found');
    const number = patch.phoneNumber !== undefined ? patch.phoneNumber : cur.phone_number;
    const changed = (number ?? null) !== (cur.phone_number ?? null);
    const verified = patch.phoneVerified ?? (changed ? false : !!cur.phone_verified);
    if (verified && !number) throw invalid('contact.phone-required', 'A phone number is needed to mark it verified', { field: 'phone_verified' });
    await updateContactColumns(trx, userId, {
      ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
      ...(patch.phonePrivate !== undefined ? { phone_private: patch.phonePrivate ? 1 : 0 } : {}),
      phone_number: number,
      phone_verified: verified && number ? 1 : 0,
      updated_at: now(),
    });
    if (patch.slack !== undefined) {
      await replaceSlackIdentities(
        trx,
        userId,
        patch.slack.map((s) => ({ slackUserId: s.userId, slackTeamId: s.teamId })),
      );
    }
    await audit(trx, p, {
      action: 'user.contact.update',
      objectType: 'user',
      objectId: userId,
      before: { timezone: cur.timezone, phoneNumber: cur.phone_number, phoneVerified: !!cur.phone_verified, phonePrivate: !!cur.phone_private },
      after: { ...patch, phoneVerified: !!(verified && number) },
    });
  });
  return { ...((await loadContacts(ctx.db, [userId])).get(userId) ?? EMPTY), userId, publicId: user.public_id };
}
