// The org archive's custom roles and service-account permissions (docs/access-control.md): roles
// with their permissions and holders, named by login, team name, service-account name and basic role; a permission
// scoped to one team or service account names it, since ids differ in the org it is imported into.
import { createRole, listRoles } from '../domain/access-roles.ts';
import type { Ctx } from '../domain/context.ts';
import { assignRole, orgRoleHolders } from '../domain/role-assignments.ts';
import { serviceAccountPermissions, setServiceAccountPermission } from '../domain/resource-permissions.ts';
import type { Principal } from '../domain/principal.ts';
import { CliError, EXIT } from './context.ts';

export interface ArchivedPermission {
  action: string;
  scope?: string;
  /** Set instead of `scope` for a permission on one team or service account. */
  team?: string;
  serviceAccount?: string;
}

export interface ArchivedRole {
  name: string;
  displayName: string;
  description: string;
  group: string;
  hidden: boolean;
  permissions: ArchivedPermission[];
  users: string[];
  teams: string[];
  /** Service accounts holding the role, by name (absent in archives written before they could). */
  serviceAccounts?: string[];
  builtinRoles: string[];
}

export interface ArchivedSaPermission {
  user?: string;
  team?: string;
  permission: string;
}

/** Names by id, and ids by name, of the org's members, teams and service accounts. */
export interface Names {
  users: Map<number, string>;
  teams: Map<number, string>;
  serviceAccounts: Map<number, string>;
}

const ID_SCOPE = /^(teams|serviceaccounts):id:(\d+)$/;

export async function exportRoles(ctx: Ctx, p: Principal, orgId: number, names: Names): Promise<ArchivedRole[]> {
  const roles = (await listRoles(ctx, p, true)).filter((r) => r.org_id === orgId);
  const holders = await orgRoleHolders(ctx, p, orgId);
  return roles.map((r) => {
    const mine = holders.filter((h) => h.roleId === r.id);
    return {
      name: r.name,
      displayName: r.display_name,
      description: r.description,
      group: r.group_name,
      hidden: !!r.hidden,
      permissions: r.permissions.map(({ action, scope }) => {
        const m = ID_SCOPE.exec(scope);
        if (!m) return { action, scope };
        const name = (m[1] === 'teams' ? names.teams : names.serviceAccounts).get(Number(m[2]));
        return m[1] === 'teams' ? { action, team: name } : { action, serviceAccount: name };
      }),
      users: mine.flatMap((h) => (h.userId !== null && names.users.has(h.userId) ? [names.users.get(h.userId)!] : [])),
      teams: mine.flatMap((h) => (h.teamId !== null && names.teams.has(h.teamId) ? [names.teams.get(h.teamId)!] : [])),
      serviceAccounts: mine.flatMap((h) => (h.serviceAccountId !== null && names.serviceAccounts.has(h.serviceAccountId) ? [names.serviceAccounts.get(h.serviceAccountId)!] : [])),
      builtinRoles: mine.flatMap((h) => (h.builtin !== null ? [h.builtin] : [])),
    };
  });
}

export async function exportSaPermissions(ctx: Ctx, p: Principal, saId: number, names: Names): Promise<ArchivedSaPermission[]> {
  return (await serviceAccountPermissions(ctx, p, saId)).map((e) =>
    e.kind === 'user' ? { user: names.users.get(e.id), permission: e.permission } : { team: names.teams.get(e.id), permission: e.permission },
  );
}

const idOf = (ids: Map<string, number>, name: string | undefined, what: string) => {
  const id = name === undefined ? undefined : ids.get(name.toLowerCase());
  if (id === undefined) throw new CliError(EXIT.usage, `${what} "${name}" is not in the org in this file`);
  return id;
};

/** Ids by lower-cased name in the imported org. */
export interface Ids {
  users: Map<string, number>;
  teams: Map<string, number>;
  serviceAccounts: Map<string, number>;
}

export async function importRoles(ctx: Ctx, p: Principal, roles: ArchivedRole[], ids: Ids): Promise<void> {
  for (const r of roles) {
    const permissions = r.permissions.map((g) => {
      if (g.team !== undefined) return { action: g.action, scope: `teams:id:${idOf(ids.teams, g.team, `Role "${r.name}": team`)}` };
      if (g.serviceAccount !== undefined) return { action: g.action, scope: `serviceaccounts:id:${idOf(ids.serviceAccounts, g.serviceAccount, `Role "${r.name}": service account`)}` };
      return { action: g.action, scope: g.scope ?? '' };
    });
    const role = await createRole(ctx, p, { name: r.name, displayName: r.displayName, description: r.description, group: r.group, hidden: r.hidden, permissions });
    for (const login of r.users ?? []) await assignRole(ctx, p, { kind: 'user', id: idOf(ids.users, login, `Role "${r.name}": member`) }, role.uid);
    for (const team of r.teams ?? []) await assignRole(ctx, p, { kind: 'team', id: idOf(ids.teams, team, `Role "${r.name}": team`) }, role.uid);
    for (const name of r.serviceAccounts ?? []) await assignRole(ctx, p, { kind: 'service-account', id: idOf(ids.serviceAccounts, name, `Role "${r.name}": service account`) }, role.uid);
    for (const name of r.builtinRoles ?? []) await assignRole(ctx, p, { kind: 'builtin', name }, role.uid);
  }
}

export async function importSaPermissions(ctx: Ctx, p: Principal, saId: number, saName: string, entries: ArchivedSaPermission[], ids: Ids): Promise<void> {
  for (const e of entries) {
    const subject =
      e.user !== undefined
        ? { kind: 'user' as const, id: idOf(ids.users, e.user, `Service account "${saName}": member`) }
        : { kind: 'team' as const, id: idOf(ids.teams, e.team, `Service account "${saName}": team`) };
    await setServiceAccountPermission(ctx, p, saId, subject, e.permission);
  }
}
