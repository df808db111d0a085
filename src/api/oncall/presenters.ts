// Domain objects in OnCall's JSON.
import { createHash } from 'node:crypto';
import type { DirectoryEntry } from '../../domain/directory.ts';
import type { Org } from '../../domain/orgs.ts';
import { orgSettings } from '../../domain/orgs.ts';
import { ONCALL_ROLE } from '../../domain/policy/index.ts';
import type { TeamRow } from '../../store/schema.ts';

export function organization(org: Org) {
  return { id: org.public_id, manually_manage_direct_paging_integrations: orgSettings(org).manuallyManageDirectPagingIntegrations };
}

/** Directory entries never carry role None, so the mapped role is always set. */
const role = (e: DirectoryEntry) => ONCALL_ROLE[e.member.role] ?? 'observer';

export function user(e: DirectoryEntry) {
  return {
    id: e.member.publicId,
    grafana_id: e.member.userId,
    email: e.member.email,
    slack: e.contact.slack.map((s) => ({ user_id: s.userId, team_id: s.teamId })),
    username: e.member.login,
    role: role(e),
    timezone: e.contact.timezone,
    teams: e.teamPublicIds,
    is_phone_number_verified: e.phone.verified,
    phone_number: e.phone.number,
    phone_number_status: e.phone.status,
  };
}

export function shortUser(e: DirectoryEntry) {
  return {
    id: e.member.publicId,
    grafana_id: e.member.userId,
    email: e.member.email,
    username: e.member.login,
    role: role(e),
    is_phone_number_verified: e.phone.verified,
  };
}

/** Grafana's team avatar, as OnCall syncs it: /avatar/<md5 of the email, else the name>. */
export function team(t: TeamRow) {
  const key = (t.email || t.name).trim().toLowerCase();
  return {
    id: t.public_id,
    grafana_id: t.id,
    name: t.name,
    email: t.email,
    avatar_url: '/avatar/' + createHash('md5').update(key).digest('hex'),
  };
}
