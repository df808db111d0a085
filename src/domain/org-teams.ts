// Reading an org's teams by public id, in creation order: what the OnCall face lists. Every
// query is scoped by org, so another org's team id is simply not found. No permission checks:
// callers authorize for their face.
import { hasNul, type Ctx } from './context.ts';
import type { TeamRow } from '../store/schema.ts';
import { findOrgTeamRow, selectOrgTeams, type OrgTeamFilter } from '../store/teams.ts';
import { teamPublicIdRows } from '../store/team-members.ts';

export type TeamQuery = OrgTeamFilter;

export async function queryOrgTeams(ctx: Ctx, orgId: number, q: TeamQuery): Promise<{ total: number; teams: TeamRow[] }> {
  if (hasNul(q.name, q.publicId)) return { total: 0, teams: [] };
  return selectOrgTeams(ctx.db, orgId, q);
}

export async function findOrgTeam(ctx: Ctx, orgId: number, publicId: string, q: TeamQuery = {}): Promise<TeamRow | undefined> {
  if (hasNul(publicId, q.name)) return undefined;
  return findOrgTeamRow(ctx.db, orgId, { ...q, publicId });
}

/** The public ids of each user's teams in one org, in team creation order. */
export async function teamPublicIdsByUser(ctx: Ctx, orgId: number, userIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await teamPublicIdRows(ctx.db, orgId, userIds);
  for (const r of rows) out.get(r.userId)?.push(r.publicId);
  return out;
}
