// `roster import`: recreates an exported org through the domain, all or nothing. Clashes are
// checked before the first write (exit 3); if a later step still fails, everything this import
// created (the org, with its cascades, and new users) is removed again before the error is shown.
import { createOrg, deleteOrg, updateOrgAddress, updateOrgSettings } from '../domain/orgs.ts';
import { addMember, updateMemberRole } from '../domain/members.ts';
import { createUser, deleteUser, findUserByLoginOrEmail, setDisabled, type User } from '../domain/users.ts';
import { createTeam } from '../domain/teams.ts';
import { addTeamMember } from '../domain/team-members.ts';
import { createServiceAccount } from '../domain/service-accounts.ts';
import { cliPrincipal, CliError, EXIT, type CliContext } from './context.ts';
import type { OrgArchive } from './org-archive.ts';

export interface ImportResult {
  orgId: number;
  name: string;
  members: number;
  usersCreated: string[];
  teams: number;
  serviceAccounts: number;
  /** Token values are never exported, so tokens must be minted anew. */
  tokensNotRecreated: number;
}

/** Refuses before writing anything when the org name or a member's login/email is taken by someone else. */
async function checkClashes(cli: CliContext, a: OrgArchive): Promise<void> {
  const org = await cli.ctx.db.selectFrom('orgs').select('id').where('name', '=', a.org.name).executeTakeFirst();
  if (org) throw new CliError(EXIT.conflict, `An org named "${a.org.name}" already exists (id ${org.id}); delete or rename it first`);
  for (const m of a.members) {
    const byLogin = await findUserByLoginOrEmail(cli.ctx.db, m.login);
    const byEmail = m.email ? await findUserByLoginOrEmail(cli.ctx.db, m.email) : undefined;
    if (byLogin && byEmail && byLogin.id !== byEmail.id) throw new CliError(EXIT.conflict, `Member "${m.login}": email "${m.email}" belongs to another user ("${byEmail.login}")`);
    if (!byLogin && byEmail) throw new CliError(EXIT.conflict, `Member "${m.login}": email "${m.email}" belongs to user "${byEmail.login}"`);
  }
}

export async function importOrg(cli: CliContext, a: OrgArchive, onProgress: (done: number, total: number) => void): Promise<ImportResult> {
  await checkClashes(cli, a);
  const total = 1 + a.members.length + a.teams.length + a.serviceAccounts.length;
  let done = 0;
  const step = () => onProgress(++done, total);
  const createdUsers: User[] = [];
  let orgId: number | null = null;
  try {
    const org = await createOrg(cli.ctx, cliPrincipal(), { name: a.org.name, settings: a.org.settings });
    orgId = org.id;
    const p = cliPrincipal(org.id);
    if (a.org.address) await updateOrgAddress(cli.ctx, p, org.id, a.org.address);
    void updateOrgSettings; // settings go in with createOrg above
    step();
    // Owners and Admins first: the first member of a memberless org becomes its Admin and owner.
    const rank = (m: OrgArchive['members'][number]) => (m.isOwner ? 0 : m.role === 'Admin' ? 1 : 2);
    const userIds = new Map<string, number>();
    for (const m of [...a.members].sort((x, y) => rank(x) - rank(y))) {
      let user = await findUserByLoginOrEmail(cli.ctx.db, m.login);
      if (!user) {
        // No password: the user signs in after `roster user passwd`.
        user = await createUser(cli.ctx, p, { login: m.login, email: m.email || undefined, name: m.name, password: null, orgId: org.id, role: m.role });
        createdUsers.push(user);
        if (m.isDisabled) await setDisabled(cli.ctx, p, user.id, true);
        const joined = await cli.ctx.db.selectFrom('org_members').select('role').where('org_id', '=', org.id).where('user_id', '=', user.id).executeTakeFirst();
        if (!joined) await addMember(cli.ctx, p, org.id, { loginOrEmail: user.login, role: m.role });
      } else {
        await addMember(cli.ctx, p, org.id, { loginOrEmail: user.login, role: m.role });
      }
      await updateMemberRole(cli.ctx, p, org.id, user.id, m.role, { isOwner: m.isOwner });
      userIds.set(m.login.toLowerCase(), user.id);
      step();
    }
    for (const t of a.teams) {
      const team = await createTeam(cli.ctx, p, { name: t.name, email: t.email || undefined });
      for (const tm of t.members) {
        const userId = userIds.get(String(tm.login).toLowerCase());
        if (userId === undefined) throw new CliError(EXIT.usage, `Team "${t.name}": "${tm.login}" is not a member of the org in this file`);
        await addTeamMember(cli.ctx, p, team.id, userId, Number(tm.permission) || 0);
      }
      step();
    }
    let tokens = 0;
    for (const sa of a.serviceAccounts) {
      await createServiceAccount(cli.ctx, p, { name: sa.name, role: sa.role, isDisabled: !!sa.isDisabled });
      tokens += sa.tokens?.length ?? 0;
      step();
    }
    return { orgId: org.id, name: org.name, members: a.members.length, usersCreated: createdUsers.map((u) => u.login), teams: a.teams.length, serviceAccounts: a.serviceAccounts.length, tokensNotRecreated: tokens };
  } catch (err) {
    // Undo: the org cascades to memberships, teams, service accounts and tokens.
    if (orgId !== null) await deleteOrg(cli.ctx, cliPrincipal(), orgId).catch(() => {});
    for (const u of createdUsers) await deleteUser(cli.ctx, cliPrincipal(), u.id).catch(() => {});
    throw err;
  }
}
