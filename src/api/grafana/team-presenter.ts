// Teams in Grafana's JSON.
import { Type } from '@sinclair/typebox';
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

export function teamDto(t: Team, permission = 0) {
  return {
    id: t.id,
    uid: t.uid,
    orgId: t.org_id,
    name: t.name,
    email: t.email,
    isProvisioned: false,
    avatarUrl: avatarUrl(t.email || t.name),
    memberCount: t.memberCount,
    permission,
  };
}
