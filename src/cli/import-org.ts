// `roster import`: recreates an exported org through the domain in one database transaction, so
// a failure at any step (a clash found up front, exit 3, or a bad team member later) leaves the
// store exactly as it was.
import type { Ctx } from '../domain/context.ts';
import { createOrg, updateOrgAddress } from '../domain/orgs.ts';
import { addMember, updateMemberRole } from '../domain/members.ts';
import { createUser, findUserByLoginOrEmail, setDisabled, type User } from '../domain/users.ts';
import { createTeam } from '../domain/teams.ts';
import { addTeamMember } from '../domain/team-members.ts';
import { createServiceAccount } from '../domain/service-accounts.ts';
import { restoreUserLink } from '../domain/scim-users.ts';
import { restoreGroupLink } from '../domain/scim-groups.ts';
import { cliPrincipal, CliError, EXIT, type CliContext } from './context.ts';
import type { OrgArchive } from './org-archive.ts';
import { orgWith } from '../store/orgs.ts';
import { isMember } from '../store/org-members.ts';
import { importRoles, importSaPermissions, type Ids } from './role-archive.ts';

export interface ImportResult {
  orgId: number;
  name: string;
  members: number;
  usersCreated: string[];
  teams: number;
  serviceAccounts: number;
  /** Token values are never exported, so tokens must be minted anew. */
  tokensNotRecreated: number;
  /** SCIM links restored (users provisioned into the org, group externalIds). */
  scimLinks: number;
  /** Nor are webhook secrets: endpoints must be registered anew (docs/events.md). */
  webhooksNotRecreated: number;
}

/** Refuses before writing anything when the org name or a member's login/email is taken by someone else. */
async function checkClashes(ctx: Ctx, a: OrgArchive): Promise<void> {
  const org = await orgWith(ctx.db, 'name', a.org.name);
  if (org) throw new CliError(EXIT.conflict, `An org named "${a.org.name}" already exists (id ${org.id}); delete or rename it first`);
  for (const m of a.members) {
    const byLogin = await findUserByLoginOrEmail(ctx.db, m.login);
    const byEmail = m.email ? await findUserByLoginOrEmail(ctx.db, m.email) : undefined;
    if (byLogin && byEmail && byLogin.id !== byEmail.id) throw new CliError(EXIT.conflict, `Member "${m.login}": email "${m.email}" belongs to another user ("${byEmail.login}")`);
    if (!byLogin && byEmail) throw new CliError(EXIT.conflict, `Member "${m.login}": email "${m.email}" belongs to user "${byEmail.login}"`);
  }
}

export async function importOrg(cli: CliContext, a: OrgArchive, onProgress: (done: number, total: number) => void): Promise<ImportResult> {
  // Every domain call below joins this transaction (domain/context.ts inTransaction).
  return cli.ctx.db.transaction().execute((trx) => importInto({ ...cli.ctx, db: trx }, a, onProgress));
}

async function importInto(ctx: Ctx, a: OrgArchive, onProgress: (done: number, total: number) => void): Promise<ImportResult> {
  await checkClashes(ctx, a);
  const roles = a.roles ?? [];
  const total = 1 + a.members.length + a.teams.length + a.serviceAccounts.length + (roles.length ? 1 : 0);
  let done = 0;
  const step = () => onProgress(++done, total);
  const createdUsers: User[] = [];
  const org = await createOrg(ctx, cliPrincipal(), { name: a.org.name, settings: a.org.settings });
  const p = cliPrincipal(org.id);
  if (a.org.address) await updateOrgAddress(ctx, p, org.id, a.org.address);
  step();
  // Owners and Admins first: the first member of a memberless org becomes its Admin and owner.
  const rank = (m: OrgArchive['members'][number]) => (m.isOwner ? 0 : m.role === 'Admin' ? 1 : 2);
  const userIds = new Map<string, number>();
  for (const m of [...a.members].sort((x, y) => rank(x) - rank(y))) {
    let user = await findUserByLoginOrEmail(ctx.db, m.login);
    if (!user) {
      // No password: the user signs in after `roster user passwd`.
      user = await createUser(ctx, p, { login: m.login, email: m.email || undefined, name: m.name, password: null, orgId: org.id, role: m.role });
      createdUsers.push(user);
      if (m.isDisabled) await setDisabled(ctx, p, user.id, true);
      const joined = await isMember(ctx.db, org.id, user.id);
      if (!joined) await addMember(ctx, p, org.id, { loginOrEmail: user.login, role: m.role });
    } else {
      await addMember(ctx, p, org.id, { loginOrEmail: user.login, role: m.role });
    }
    await updateMemberRole(ctx, p, org.id, user.id, m.role, { isOwner: m.isOwner });
    userIds.set(m.login.toLowerCase(), user.id);
    step();
  }
  const ids: Ids = { users: userIds, teams: new Map(), serviceAccounts: new Map() };
  for (const t of a.teams) {
    const team = await createTeam(ctx, p, { name: t.name, email: t.email || undefined });
    ids.teams.set(t.name.toLowerCase(), team.id);
    for (const tm of t.members) {
      const userId = userIds.get(String(tm.login).toLowerCase());
      if (userId === undefined) throw new CliError(EXIT.usage, `Team "${t.name}": "${tm.login}" is not a member of the org in this file`);
      await addTeamMember(ctx, p, team.id, userId, Number(tm.permission) || 0);
    }
    step();
  }
  let tokens = 0;
  for (const sa of a.serviceAccounts) {
    const made = await createServiceAccount(ctx, p, { name: sa.name, role: sa.role, isDisabled: !!sa.isDisabled });
    ids.serviceAccounts.set(sa.name.toLowerCase(), made.id);
    await importSaPermissions(ctx, p, made.id, sa.name, sa.permissions ?? [], ids);
    tokens += sa.tokens?.length ?? 0;
    step();
  }
  if (roles.length) {
    await importRoles(ctx, p, roles, ids);
    step();
  }
  // A SCIM user whose login names no user here (deprovisioned, then deleted) has nothing to link.
  let scimLinks = 0;
  for (const u of a.scim?.users ?? []) {
    const user = await findUserByLoginOrEmail(ctx.db, u.login);
    if (user) await restoreUserLink(ctx, p, org.id, user.id, u.externalId ?? null);
    scimLinks += user ? 1 : 0;
  }
  for (const g of a.scim?.groups ?? []) {
    const teamId = ids.teams.get(g.name.toLowerCase());
    if (teamId === undefined) throw new CliError(EXIT.usage, `SCIM group "${g.name}" is not a team in this file`);
    await restoreGroupLink(ctx, p, teamId, g.externalId ?? null);
    scimLinks++;
  }
  return {
    orgId: org.id,
    name: org.name,
    members: a.members.length,
    usersCreated: createdUsers.map((u) => u.login),
    teams: a.teams.length,
    serviceAccounts: a.serviceAccounts.length,
    tokensNotRecreated: tokens,
    scimLinks,
    webhooksNotRecreated: a.webhooks?.length ?? 0,
  };
}
