// Reading an org's teams by public id, in creation order: what the OnCall face lists. Every
// query is scoped by org, so another org's team id is simply not found. Reading takes `teams:read`
// in the caller's org, as on the Grafana face: every basic role holding OnCall's user-settings read
// holds it too, and a custom role granting it opens both faces' team lists.
import { hasNul, type Ctx } from './context.ts';
import type { TeamRow } from '../store/schema.ts';
import { authorize } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { findOrgTeamRow, selectOrgTeams, type OrgTeamFilter } from '../store/teams.ts';
import { teamPublicIdRows } from '../store/team-members.ts';

const READ = 'teams:read';

export type TeamQuery = OrgTeamFilter;

/** The caller's org's teams. */
export async function queryOrgTeams(ctx: Ctx, p: Principal, q: TeamQuery): Promise<{ total: number; teams: TeamRow[] }> {
  await authorize(ctx, p, READ, p.orgId);
  const orgId = p.orgId;
  if (hasNul(q.name, q.publicId)) return { total: 0, teams: [] };
  return selectOrgTeams(ctx.db, orgId, q);
}

/** One team of the caller's org by public id. */
export async function readOrgTeam(ctx: Ctx, p: Principal, publicId: string, q: TeamQuery = {}): Promise<TeamRow | undefined> {
  await authorize(ctx, p, READ, p.orgId);
  return findOrgTeam(ctx, p.orgId, publicId, q);
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
