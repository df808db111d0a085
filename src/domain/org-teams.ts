// Reading an org's teams by public id, in creation order: what the OnCall face lists. Every
// query is scoped by org, so another org's team id is simply not found. Reading takes OnCall's
// user-settings read permission in the caller's org.
import { hasNul, type Ctx } from './context.ts';
import type { TeamRow } from '../store/schema.ts';
import { authorize } from './policy/index.ts';
import type { Principal } from './principal.ts';

const READ = 'grafana-irm-app.user-settings:read';

export interface TeamQuery {
  /** Exact, case-sensitive name. */
  name?: string;
  publicId?: string;
  limit?: number;
  offset?: number;
}

function teamQuery(ctx: Ctx, orgId: number, q: TeamQuery) {
  let sel = ctx.db.selectFrom('teams').where('org_id', '=', orgId);
  if (q.name) sel = sel.where('name', '=', q.name);
  if (q.publicId !== undefined) sel = sel.where('public_id', '=', q.publicId);
  return sel;
}

/** The caller's org's teams. */
export async function queryOrgTeams(ctx: Ctx, p: Principal, q: TeamQuery): Promise<{ total: number; teams: TeamRow[] }> {
  await authorize(ctx, p, READ, p.orgId);
  const orgId = p.orgId;
  if (hasNul(q.name, q.publicId)) return { total: 0, teams: [] };
  const base = teamQuery(ctx, orgId, q);
  let sel = base.selectAll().orderBy('id');
  if (q.limit) sel = sel.limit(q.limit);
  if (q.offset) sel = sel.offset(q.offset);
  const teams = await sel.execute();
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { total, teams };
}

/** One team of the caller's org by public id. */
export async function readOrgTeam(ctx: Ctx, p: Principal, publicId: string, q: TeamQuery = {}): Promise<TeamRow | undefined> {
  await authorize(ctx, p, READ, p.orgId);
  return findOrgTeam(ctx, p.orgId, publicId, q);
}

export async function findOrgTeam(ctx: Ctx, orgId: number, publicId: string, q: TeamQuery = {}): Promise<TeamRow | undefined> {
  if (hasNul(publicId, q.name)) return undefined;
  return teamQuery(ctx, orgId, { ...q, publicId }).selectAll().executeTakeFirst();
}

/** The public ids of each user's teams in one org, in team creation order. */
export async function teamPublicIdsByUser(ctx: Ctx, orgId: number, userIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await ctx.db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['team_members.user_id as userId', 'teams.public_id as publicId'])
    .where('teams.org_id', '=', orgId)
    .where('team_members.user_id', 'in', userIds)
    .orderBy('teams.id')
    .execute();
  for (const r of rows) out.get(r.userId)?.push(r.publicId);
  return out;
}
