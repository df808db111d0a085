// Teams: belong to one org, have members.
import type { Ctx } from './context.ts';
import type { TeamRow } from '../store/schema.ts';

export interface Team extends TeamRow {
  memberCount: number;
}

/** The teams a user belongs to, across their orgs, by name. */
export async function userTeams(ctx: Ctx, userId: number): Promise<Team[]> {
  const rows = await ctx.db
    .selectFrom('teams')
    .innerJoin('team_members', 'team_members.team_id', 'teams.id')
    .selectAll('teams')
    .select((eb) =>
      eb.selectFrom('team_members as tm').select((e) => e.fn.countAll<number>().as('n')).whereRef('tm.team_id', '=', 'teams.id').as('memberCount'),
    )
    .where('team_members.user_id', '=', userId)
    .orderBy('teams.name')
    .execute();
  return rows.map((r) => ({ ...r, memberCount: Number(r.memberCount) }));
}
