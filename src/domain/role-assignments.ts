// Who holds which custom role in an org: users, teams, service accounts, and everyone with a basic
// role (Grafana's role assignments; docs/access-control.md). A user's roles in an org end with their
// membership (members.ts); a team's reach only its members of the moment; a service account's go
// with the account. Handing a role out, or taking it
// away, needs every permission it grants (Grafana's escalation check).
import { audit } from './audit.ts';
import { isRowId } from './ids.ts';
import { checkHeld, visibleRole, withPermissions, type Role } from './access-roles.ts';
import { now } from './clock.ts';
import { inTransaction, lockLiveOrg, type Ctx, type Db } from './context.ts';
import { forbidden, invalid, notFound } from './errors.ts';
import { authorize, ROLES } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { isMember } from '../store/org-members.ts';
import * as store from '../store/access-control.ts';
import { findTeam } from './teams.ts';
import { findServiceAccount } from './service-accounts.ts';
import type { RoleRow } from '../store/schema.ts';

/** Who a role is assigned to: a user, team or service account of the caller's org, or a basic role there. */
export type Holder = { kind: 'user'; id: number } | { kind: 'team'; id: number } | { kind: 'service-account'; id: number } | { kind: 'builtin'; name: string };

/**
 * What Grafana's `/api/access-control/users/:userId` routes name: its service accounts are users,
 * so the id is a member of the org or, when no member has it, a service account of the org
 * (Roster keeps them apart, and their ids may meet: docs/access-control.md#service-accounts).
 */
export type AccountHolder = Holder | { kind: 'account'; id: number };

/** Grafana's basic role names, as assignments name them. */
export const BUILTIN_ROLES: readonly string[] = [...ROLES, 'Grafana Admin'];

const ACTIONS = {
  user: { read: 'users.roles:read', add: 'users.roles:add', remove: 'users.roles:remove' },
  team: { read: 'teams.roles:read', add: 'teams.roles:add', remove: 'teams.roles:remove' },
  // A service account is a user to Grafana's RBAC: the same actions.
  'service-account': { read: 'users.roles:read', add: 'users.roles:add', remove: 'users.roles:remove' },
  account: { read: 'users.roles:read', add: 'users.roles:add', remove: 'users.roles:remove' },
  builtin: { read: 'roles:read', add: 'roles:write', remove: 'roles:write' },
} as const;

const holderId = (h: Holder) => (h.kind === 'builtin' ? h.name : h.id);

const userNotFound = () => notFound('user.not-found', 'user not found');

/** The holder, found in the org (an account id resolved to a member or a service account): an unknown or foreign one is 404. */
async function checkHolder(db: Db, orgId: number, h: AccountHolder): Promise<Holder> {
  if (h.kind === 'account') {
    if (isRowId(h.id) && (await isMember(db, orgId, h.id))) return { kind: 'user', id: h.id };
    if (isRowId(h.id) && (await findServiceAccount(db, orgId, h.id))) return { kind: 'service-account', id: h.id };
    throw userNotFound();
  }
  if (h.kind === 'user' && !(isRowId(h.id) && (await isMember(db, orgId, h.id)))) throw userNotFound();
  if (h.kind === 'service-account' && !(isRowId(h.id) && (await findServiceAccount(db, orgId, h.id)))) throw notFound('sa.not-found', 'service account not found');
  if (h.kind === 'team' && !(isRowId(h.id) && (await findTeam(db, orgId, h.id)))) throw notFound('team.not-found', 'Team not found');
  if (h.kind === 'builtin' && !BUILTIN_ROLES.includes(h.name)) throw invalid('role.builtin-invalid', 'invalid built-in role');
  return h;
}

async function rowsOf(db: Db, orgId: number, h: Holder): Promise<RoleRow[]> {
  if (h.kind === 'user') return store.userRoleRows(db, orgId, h.id);
  if (h.kind === 'team') return store.teamRoleRows(db, h.id);
  if (h.kind === 'service-account') return store.serviceAccountRoleRows(db, h.id);
  return (await store.builtinRoleRows(db, orgId)).filter((r) => r.builtin_role === h.name);
}

export async function listAssigned(ctx: Ctx, p: Principal, h: AccountHolder): Promise<Role[]> {
  await authorize(ctx, p, ACTIONS[h.kind].read, p.orgId);
  return withPermissions(ctx.db, await rowsOf(ctx.db, p.orgId, await checkHolder(ctx.db, p.orgId, h)));
}

/** Every basic role's custom roles in the caller's org (Grafana's GET /builtin-roles). */
export async function listBuiltinAssignments(ctx: Ctx, p: Principal): Promise<Record<string, Role[]>> {
  await authorize(ctx, p, 'roles:read', p.orgId);
  const rows = await store.builtinRoleRows(ctx.db, p.orgId);
  const roles = await withPermissions(ctx.db, rows);
  const out: Record<string, Role[]> = {};
  rows.forEach((r, i) => (out[r.builtin_role] ??= []).push(roles[i]));
  return out;
}

async function add(trx: Db, orgId: number, h: Holder, roleId: number): Promise<boolean> {
  if (h.kind === 'user') return store.addUserRole(trx, orgId, h.id, roleId, now());
  if (h.kind === 'team') return store.addTeamRole(trx, h.id, roleId, now());
  if (h.kind === 'service-account') return store.addServiceAccountRole(trx, h.id, roleId, now());
  return store.addBuiltinRole(trx, orgId, h.name, roleId, now());
}

async function remove(trx: Db, orgId: number, h: Holder, roleId: number): Promise<boolean> {
  if (h.kind === 'user') return store.removeUserRole(trx, orgId, h.id, roleId);
  if (h.kind === 'team') return store.removeTeamRole(trx, h.id, roleId);
  if (h.kind === 'service-account') return store.removeServiceAccountRole(trx, h.id, roleId);
  return store.removeBuiltinRole(trx, orgId, h.name, roleId);
}

/** Adds or removes one assignment, audited when it changed something. */
async function assignOne(trx: Db, p: Principal, h: Holder, role: Role, op: 'add' | 'remove'): Promise<void> {
  if (!(await (op === 'add' ? add : remove)(trx, p.orgId, h, role.id))) return;
  const what = { role: role.uid, [h.kind]: holderId(h) };
  await audit(trx, p, {
    action: op === 'add' ? 'role.assign' : 'role.unassign',
    objectType: 'role-assignment',
    objectId: `${role.uid}:${h.kind}:${holderId(h)}`,
    orgId: p.orgId,
    ...(op === 'add' ? { after: what } : { before: what }),
  });
}

/**
 * Sets the holder's custom roles: `adding` are assigned, `removing` unassigned (Grafana's add,
 * remove and replace all come here). All or nothing, each change audited.
 */
async function change(
  ctx: Ctx,
  p: Principal,
  named: AccountHolder,
  wanted: (current: RoleRow[], find: (uid: string) => Promise<Role>) => Promise<{ adding: Role[]; removing: Role[] }>,
): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, p.orgId);
    const h = await checkHolder(trx, p.orgId, named);
    // Only a server admin changes what server admins hold.
    if (h.kind === 'builtin' && h.name === 'Grafana Admin' && !p.isServerAdmin) throw forbidden('roles:write');
    const { adding, removing } = await wanted(await rowsOf(trx, p.orgId, h), (uid) => visibleRole(trx, p.orgId, uid));
    const inTrx = { ...ctx, db: trx };
    for (const role of [...adding, ...removing]) await checkHeld(inTrx, p, p.orgId, role.permissions);
    for (const role of adding) await assignOne(trx, p, h, role, 'add');
    for (const role of removing) await assignOne(trx, p, h, role, 'remove');
  });
}

export async function assignRole(ctx: Ctx, p: Principal, h: AccountHolder, roleUid: string): Promise<void> {
  await authorize(ctx, p, ACTIONS[h.kind].add, p.orgId);
  await change(ctx, p, h, async (_current, find) => ({ adding: [await find(roleUid)], removing: [] }));
}

export async function unassignRole(ctx: Ctx, p: Principal, h: AccountHolder, roleUid: string): Promise<void> {
  await authorize(ctx, p, ACTIONS[h.kind].remove, p.orgId);
  await change(ctx, p, h, async (_current, find) => ({ adding: [], removing: [await find(roleUid)] }));
}

/** The holder ends with exactly these roles (Grafana's PUT .../roles). */
export async function setRoles(ctx: Ctx, p: Principal, h: AccountHolder, roleUids: string[]): Promise<void> {
  await authorize(ctx, p, ACTIONS[h.kind].add, p.orgId);
  await authorize(ctx, p, ACTIONS[h.kind].remove, p.orgId);
  await change(ctx, p, h, async (current, find) => {
    const wanted = new Set(roleUids);
    const have = new Set(current.map((r) => r.uid));
    const adding = await Promise.all([...wanted].filter((uid) => !have.has(uid)).map(find));
    const removing = await Promise.all(current.filter((r) => !wanted.has(r.uid)).map((r) => find(r.uid)));
    return { adding, removing };
  });
}

/** Who holds each of the org's own custom roles (for the org archive). */
export async function orgRoleHolders(ctx: Ctx, p: Principal, orgId: number) {
  await authorize(ctx, p, 'roles:read', orgId);
  return store.orgRoleHolders(ctx.db, orgId);
}

/** The users a role of the caller's org is assigned to (PostHog's role memberships). */
export async function roleMembers(ctx: Ctx, p: Principal, roleUid: string) {
  await authorize(ctx, p, 'users.roles:read', p.orgId);
  const role = await visibleRole(ctx.db, p.orgId, roleUid);
  return store.roleUserRows(ctx.db, p.orgId, role.id);
}

/** Who holds a role in the caller's org, by id (Grafana's RoleAssignmentsDTO). */
export async function roleAssignments(ctx: Ctx, p: Principal, roleUid: string): Promise<RoleHolders> {
  for (const action of ['users.roles:read', 'teams.roles:read'] as const) await authorize(ctx, p, action, p.orgId);
  const role = await visibleRole(ctx.db, p.orgId, roleUid);
  return store.roleHolderIds(ctx.db, p.orgId, role.id);
}

export interface RoleHolders {
  users: number[];
  teams: number[];
  serviceAccounts: number[];
}

const LISTED = { users: 'user', teams: 'team', serviceAccounts: 'service-account' } as const;

/** Each holder the lists name, once. */
const holdersIn = (lists: RoleHolders): Holder[] => (Object.keys(LISTED) as (keyof RoleHolders)[]).flatMap((k) => [...new Set(lists[k])].map((id) => ({ kind: LISTED[k], id }) as Holder));
const key = (h: Holder) => `${h.kind}:${holderId(h)}`;

/**
 * The role ends up held by exactly these users, teams and service accounts of the caller's org
 * (Grafana's PUT .../roles/:uid/assignments, which Terraform's grafana_role_assignment calls).
 * Unknown or foreign holders are 404; nothing changes unless all are found.
 */
export async function setRoleAssignments(ctx: Ctx, p: Principal, roleUid: string, wanted: RoleHolders): Promise<void> {
  for (const action of ['users.roles:add', 'users.roles:remove', 'teams.roles:add', 'teams.roles:remove'] as const) await authorize(ctx, p, action, p.orgId);
  await inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, p.orgId);
    const role = await visibleRole(trx, p.orgId, roleUid);
    const holders = holdersIn(wanted);
    for (const h of holders) await checkHolder(trx, p.orgId, h);
    const current = holdersIn(await store.roleHolderIds(trx, p.orgId, role.id));
    const have = new Set(current.map(key));
    const keep = new Set(holders.map(key));
    const adding = holders.filter((h) => !have.has(key(h)));
    const removing = current.filter((h) => !keep.has(key(h)));
    if (adding.length || removing.length) await checkHeld({ ...ctx, db: trx }, p, p.orgId, role.permissions);
    for (const h of adding) await assignOne(trx, p, h, role, 'add');
    for (const h of removing) await assignOne(trx, p, h, role, 'remove');
  });
}
