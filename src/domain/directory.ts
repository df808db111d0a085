// An org's people as on-call tools see them: members with a role other than None, in creation
// order, with contact details (phone privacy applied) and their teams in that org. Reading it
// takes OnCall's user-settings read permission in the caller's org.
import { loadContacts, phoneView, type Contact, type PhoneView } from './contact.ts';
import { hasNul, type Ctx } from './context.ts';
import { queryMembers, type Member } from './members.ts';
import { findOrg, orgSettings } from './orgs.ts';
import { findOrgTeam, teamPublicIdsByUser } from './org-teams.ts';
import { authorize, requireSelf, type Role } from './policy/index.ts';
import type { Principal } from './principal.ts';

/** None members are not users of on-call tools: never listed, not found by id (docs/compat/decisions.md#roles-across-faces). */
export const DIRECTORY_ROLES: readonly Role[] = ['Admin', 'Editor', 'Viewer'];

export interface DirectoryEntry {
  member: Member;
  contact: Contact;
  phone: PhoneView;
  teamPublicIds: string[];
}

export interface DirectoryQuery {
  /** Case-insensitive exact login. */
  login?: string;
  /** Case-insensitive exact email. */
  email?: string;
  roles?: Role[];
  /** Members of this team (public id); a team not in the org matches nobody. */
  teamPublicId?: string;
  publicId?: string;
  userId?: number;
  limit?: number;
  offset?: number;
}

const READ = 'grafana-irm-app.user-settings:read';

/** The caller's org's directory; a query given as a function is read once the caller may read (DRF checks permissions before filters). */
export async function queryDirectory(ctx: Ctx, p: Principal, q: DirectoryQuery | (() => DirectoryQuery)): Promise<{ total: number; entries: DirectoryEntry[] }> {
  await authorize(ctx, p, READ, p.orgId);
  return directory(ctx, p.orgId, typeof q === 'function' ? q() : q);
}

async function directory(ctx: Ctx, orgId: number, q: DirectoryQuery): Promise<{ total: number; entries: DirectoryEntry[] }> {
  if (hasNul(q.login, q.email, q.publicId)) return { total: 0, entries: [] };
  let teamId: number | undefined;
  if (q.teamPublicId !== undefined) {
    const team = await findOrgTeam(ctx, orgId, q.teamPublicId);
    if (!team) return { total: 0, entries: [] };
    teamId = team.id;
  }
  const roles = DIRECTORY_ROLES.filter((r) => !q.roles || q.roles.includes(r));
  const { total, members } = await queryMembers(ctx, orgId, {
    login: q.login,
    email: q.email,
    roles,
    teamId,
    publicId: q.publicId,
    userId: q.userId,
    limit: q.limit,
    offset: q.offset,
  });
  const ids = members.map((m) => m.userId);
  const [contacts, teams, org] = await Promise.all([loadContacts(ctx.db, ids), teamPublicIdsByUser(ctx, orgId, ids), findOrg(ctx.db, orgId)]);
  const override = org ? orgSettings(org).phonePrivacyOverride : false;
  const entries = members.map((member) => {
    const contact = contacts.get(member.userId)!;
    return { member, contact, phone: phoneView(contact, override), teamPublicIds: teams.get(member.userId) ?? [] };
  });
  return { total, entries };
}

/** One user of the caller's org by public id, or the caller (`self`); undefined when not a (non-None) member of the org. */
export async function findDirectoryEntry(ctx: Ctx, p: Principal, by: { publicId: string } | 'self'): Promise<DirectoryEntry | undefined> {
  await authorize(ctx, p, READ, p.orgId);
  const filter = by === 'self' ? { userId: requireSelf(p, 'user.self:read') } : by;
  const { entries } = await directory(ctx, p.orgId, { ...filter, limit: 1 });
  return entries[0];
}
