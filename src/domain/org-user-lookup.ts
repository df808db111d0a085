// Looking up users of the caller's org by login, email or name, as Grafana's user picker does:
// org admins, and whoever administers a team there (they add members to it), may
// (docs/compat/grafana.md).
import type { Ctx } from './context.ts';
import { queryMembers, type Member, type MemberSearch } from './members.ts';
import { authorize } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { administersTeam } from './teams.ts';

export async function lookupOrgUsers(ctx: Ctx, p: Principal, q: MemberSearch): Promise<Member[]> {
  if (!(await administersTeam(ctx, p))) await authorize(ctx, p, 'org.users:read', p.orgId);
  return (await queryMembers(ctx, p.orgId, q)).members;
}
