// The JSON shape of `roster export org` / `roster import`: an org with its settings, members,
// teams, service accounts and webhooks. Users are named by login (they are server-wide); tokens
// and webhooks are metadata only: a secret must never leave the server.
import { orgAddress, orgSettings, type Address } from '../domain/orgs.ts';
import type { OrgSettings } from '../domain/org-settings.ts';
import { listMembers } from '../domain/members.ts';
import { searchTeams } from '../domain/teams.ts';
import { listTeamMembers } from '../domain/team-members.ts';
import { searchServiceAccounts } from '../domain/service-accounts.ts';
import { listServiceAccountTokens } from '../domain/service-account-tokens.ts';
import { findProvisionedUsers } from '../domain/scim-users.ts';
import { findProvisionedGroups } from '../domain/scim-groups.ts';
import { listWebhooks } from '../domain/webhooks.ts';
import { isRole, type Role } from '../role-names.ts';
import type { Org } from '../domain/orgs.ts';
import { cliPrincipal, CliError, EXIT, type CliContext } from './context.ts';
import { exportRoles, exportSaPermissions, type ArchivedRole, type ArchivedSaPermission, type Names } from './role-archive.ts';

export const ARCHIVE_FORMAT = 'roster-org/1';

export interface OrgArchive {
  format: typeof ARCHIVE_FORMAT;
  exportedAt: string;
  org: { id: number; name: string; settings: OrgSettings; address: Address };
  members: { login: string; email: string; name: string; role: Role; isOwner: boolean; isDisabled: boolean }[];
  teams: { name: string; email: string; members: { login: string; permission: number }[] }[];
  serviceAccounts: {
    name: string;
    role: Role;
    isDisabled: boolean;
    tokens: { name: string; createdAt: string; expiresAt: string | null; lastUsedAt: string | null }[];
    /** Users and teams made Edit or Admin of the account (absent in older files). */
    permissions?: ArchivedSaPermission[];
  }[];
  /** The org's custom roles and who holds them (absent in older files). */
  roles?: ArchivedRole[];
  /** What SCIM provisioning recorded (docs/scim.md): users provisioned into the org and externalIds. SCIM tokens are never exported. */
  scim?: { users: { login: string; externalId: string | null }[]; groups: { name: string; externalId: string | null }[] };
  /** Absent in files written before webhooks existed. */
  webhooks?: { url: string; eventTypes: string[]; enabled: boolean }[];
}

const PAGE = 10_000;

export async function exportOrg(cli: CliContext, org: Org): Promise<OrgArchive> {
  const p = cliPrincipal(org.id);
  const { members } = await listMembers(cli.ctx, p, org.id, { sort: [{ key: 'login', desc: false }] });
  const { teams } = await searchTeams(cli.ctx, p, { limit: PAGE, offset: 0, sort: [{ key: 'name', desc: false }] });
  const { serviceAccounts } = await searchServiceAccounts(cli.ctx, p, { limit: PAGE, offset: 0 });
  const names: Names = {
    users: new Map(members.map((m) => [m.userId, m.login])),
    teams: new Map(teams.map((t) => [t.id, t.name])),
    serviceAccounts: new Map(serviceAccounts.map((sa) => [sa.id, sa.name])),
  };
  const scimUsers = (await findProvisionedUsers(cli.ctx, p)).filter((u) => u.provisioned);
  const scimGroups = (await findProvisionedGroups(cli.ctx, p)).filter((g) => g.externalId !== null);
  return {
    format: ARCHIVE_FORMAT,
    exportedAt: new Date().toISOString(),
    org: { id: org.id, name: org.name, settings: orgSettings(org), address: orgAddress(org) },
    members: members.map((m) => ({ login: m.login, email: m.email, name: m.name, role: m.role, isOwner: m.isOwner, isDisabled: m.isDisabled })),
    teams: await Promise.all(
      teams.map(async (t) => ({
        name: t.name,
        email: t.email,
        members: (await listTeamMembers(cli.ctx, p, t.id)).map((m) => ({ login: m.login, permission: m.permission })),
      })),
    ),
    serviceAccounts: await Promise.all(
      serviceAccounts.map(async (sa) => ({
        name: sa.name,
        role: sa.role as Role,
        isDisabled: sa.is_disabled === 1,
        tokens: (await listServiceAccountTokens(cli.ctx, p, sa.id)).map((t) => ({ name: t.name, createdAt: t.createdAt, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt })),
        permissions: await exportSaPermissions(cli.ctx, p, sa.id, names),
      })),
    ),
    roles: await exportRoles(cli.ctx, p, org.id, names),
    scim: {
      users: scimUsers.map((u) => ({ login: u.login, externalId: u.externalId })),
      groups: scimGroups.map((g) => ({ name: g.name, externalId: g.externalId })),
    },
    webhooks: (await listWebhooks(cli.ctx, p, org.id)).map((w) => ({ url: w.url, eventTypes: w.eventTypes, enabled: w.enabled })),
  };
}

const bad = (what: string) => new CliError(EXIT.usage, `Not a Roster org export: ${what}`);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, what: string) => {
  if (typeof v !== 'string') throw bad(`${what} must be a string`);
  return v;
};
const arr = (v: unknown, what: string) => {
  if (!Array.isArray(v)) throw bad(`${what} must be a list`);
  return v as unknown[];
};

/** Checks the shape of a parsed file before anything is written (exit 1 when it is not one). */
export function parseArchive(data: unknown): OrgArchive {
  if (!isObj(data) || data.format !== ARCHIVE_FORMAT) throw bad(`"format" must be "${ARCHIVE_FORMAT}"`);
  if (!isObj(data.org)) throw bad('"org" missing');
  str(data.org.name, 'org.name');
  if (data.org.settings !== undefined && !isObj(data.org.settings)) throw bad('org.settings must be an object');
  if (data.org.address !== undefined && !isObj(data.org.address)) throw bad('org.address must be an object');
  for (const [i, m] of arr(data.members ?? [], 'members').entries()) {
    if (!isObj(m)) throw bad(`members[${i}] must be an object`);
    str(m.login, `members[${i}].login`);
    if (!isRole(m.role)) throw bad(`members[${i}].role must be Admin, Editor, Viewer or None`);
  }
  for (const [i, t] of arr(data.teams ?? [], 'teams').entries()) {
    if (!isObj(t)) throw bad(`teams[${i}] must be an object`);
    str(t.name, `teams[${i}].name`);
    for (const m of arr(t.members ?? [], `teams[${i}].members`)) if (!isObj(m)) throw bad(`teams[${i}].members entries must be objects`);
  }
  for (const [i, sa] of arr(data.serviceAccounts ?? [], 'serviceAccounts').entries()) {
    if (!isObj(sa)) throw bad(`serviceAccounts[${i}] must be an object`);
    str(sa.name, `serviceAccounts[${i}].name`);
  }
  for (const [i, r] of arr(data.roles ?? [], 'roles').entries()) {
    if (!isObj(r)) throw bad(`roles[${i}] must be an object`);
    str(r.name, `roles[${i}].name`);
    for (const g of arr(r.permissions ?? [], `roles[${i}].permissions`)) if (!isObj(g)) throw bad(`roles[${i}].permissions entries must be objects`);
    for (const key of ['users', 'teams', 'builtinRoles']) for (const v of arr(r[key] ?? [], `roles[${i}].${key}`)) str(v, `roles[${i}].${key} entries`);
  }
  if (data.scim !== undefined) {
    if (!isObj(data.scim)) throw bad('scim must be an object');
    for (const [list, key] of [
      ['users', 'login'],
      ['groups', 'name'],
    ] as const) {
      for (const [i, x] of arr(data.scim[list] ?? [], `scim.${list}`).entries()) {
        if (!isObj(x)) throw bad(`scim.${list}[${i}] must be an object`);
        str(x[key], `scim.${list}[${i}].${key}`);
        if (x.externalId !== null && x.externalId !== undefined) str(x.externalId, `scim.${list}[${i}].externalId`);
      }
    }
  }
  for (const [i, w] of arr(data.webhooks ?? [], 'webhooks').entries()) {
    if (!isObj(w)) throw bad(`webhooks[${i}] must be an object`);
    str(w.url, `webhooks[${i}].url`);
  }
  return { members: [], teams: [], serviceAccounts: [], roles: [], webhooks: [], ...data } as unknown as OrgArchive;
}
