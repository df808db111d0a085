// Teams in Grafana's JSON.
import { Type } from '@sinclair/typebox';
import type { TeamMember } from '../../domain/team-members.ts';
import type { Team } from '../../domain/teams.ts';
import { avatarUrl } from './presenters.ts';

export const TeamSchema = Type.Object({
  id: Type.Integer(),
  uid: Type.String(),
  orgId: Type.Integer(),
  name: Type.String(),
  email: Type.String(),
  isProvisioned: Type.Boolean(),
  avatarUrl: Type.String(),
  memberCount: Type.Integer(),
  permission: Type.Integer(),
});

/** One argument only: it is used as an Array#map callback. */
export function teamDto(t: Team & { permission?: number }) {
  return {
    id: t.id,
    uid: t.uid,
    orgId: t.org_id,
    name: t.name,
    email: t.email,
    isProvisioned: false,
    avatarUrl: avatarUrl(t.email || t.name),
    memberCount: t.memberCount,
    permission: t.permission ?? 0,
  };
}

export const TeamSearchSchema = Type.Object({
  totalCount: Type.Integer(),
  teams: Type.Array(TeamSchema),
  page: Type.Integer(),
  perPage: Type.Integer(),
});

export const TeamMemberSchema = Type.Object({
  orgId: Type.Integer(),
  teamId: Type.Integer(),
  teamUID: Type.String(),
  userId: Type.Integer(),
  userUID: Type.String(),
  // Grafana's one snake_case field.
  auth_module: Type.String(),
  email: Type.String(),
  name: Type.String(),
  login: Type.String(),
  avatarUrl: Type.String(),
  labels: Type.Array(Type.String()),
  permission: Type.Integer(),
});

export function teamMemberDto(m: TeamMember) {
  return {
    orgId: m.orgId,
    teamId: m.teamId,
    teamUID: m.teamUid,
    userId: m.userId,
    userUID: m.userUid,
    auth_module: '',
    email: m.email,
    name: m.name,
    login: m.login,
    avatarUrl: avatarUrl(m.email),
    labels: [],
    permission: m.permission,
  };
}
