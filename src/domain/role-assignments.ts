// Who holds which custom role in an org: users, teams, and everyone with a basic role (Grafana's
// role assignments; docs/access-control.md). A user's roles in an org end with their membership
// (members.ts); a team's reach only its members of the moment. Handing a role out, or taking it
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
import type { RoleRow } from '../store/schema.ts';

/** Who a role is assigned to: a user or a team of the caller's org, or a basic role there. */
export type Holder = { kind: 'user'; id: number } | { kind: 'team'; id: number } | { kind: 'builtin'; name: string };

/** Grafana's basic role names, as assignments name them. */
export const BUILTIN_ROLES: readonly string[] = [...ROLES, 'Grafana Admin'];

const ACTIONS = {
  user: { read: 'users.roles:read', add: 'users.roles:add', remove: 'users.roles:remove' },
  team: { read: 'teams.roles:read', add: 'teams.roles:add', remove: 'teams.roles:remove' },
  builtin: { read: 'roles:read', add: 'roles:write', remove: 'roles:write' },
} as const;

const holderId = (h: Holder) => (h.kind === 'builtin' ? h.name : h.id);

/** The holder exists in the org: an unknown or foreign user or team is 404. */
async function checkHolder(db: Db, orgId: number, h: Holder): Promise<void> {
  if (h.kind === 'user' && !(isRowId(h.id) && (await isMember(db, orgId, h.id)))) throw notFound('user.not-found', 'user not found');
  if (h.kind === 'team' && !(isRowId(h.id) && (await findTeam(db, orgId, h.id)))) throw notFound('team.not-found', 'Team not found');
  if (h.kind === 'builtin' && !BUILTIN_ROLES.includes(h.name)) throw invalid('role.builtin-invalid', 'invalid built-in role');
}

async function rowsOf(db: Db, orgId: number, h: Holder): Promise<RoleRow[]> {
  if (h.kind === 'user') return store.userRoleRows(db, orgId, h.id);
  if (h.kind === 'team') return store.teamRoleRows(db, h.id);
  return (await store.builtinRoleRows(db, orgId)).filter((r) => r.builtin_role === h.name);
}

export async function listAssigned(ctx: Ctx, p: Principal, h: Holder): Promise<Role[]> {
  await authorize(ctx, p, ACTIONS[h.kind].read, p.orgId);
  await checkHolder(ctx.db, p.orgId, h);
  return withPermissions(ctx.db, await rowsOf(ctx.db, p.orgId, h));
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
  return store.addBuiltinRole(trx, orgId, h.name, roleId, now());
}

async function remove(trx: Db, orgId: number, h: Holder, roleId: number): Promise<boolean> {
  if (h.kind === 'user') return store.removeUserRole(trx, orgId, h.id, roleId);
  if (h.kind === 'team') return store.removeTeamRole(trx, h.id, roleId);
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
async function change(ctx: Ctx, p: Principal, h: Holder, wanted: (current: RoleRow[], find: (uid: string) => Promise<Role>) => Promise<{ adding: Role[]; removing: Role[] }>): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, p.orgId);
    await checkHolder(trx, p.orgId, h);
    // Only a server admin changes what server admins hold.
    if (h.kind === 'builtin' && h.name === 'Grafana Admin' && !p.isServerAdmin) throw forbidden('roles:write');
    const { adding, removing } = await wanted(await rowsOf(trx, p.orgId, h), (uid) => visibleRole(trx, p.orgId, uid));
    const inTrx = { ...ctx, db: trx };
    for (const role of [...adding, ...removing]) await checkHeld(inTrx, p, p.orgId, role.permissions);
    for (const role of adding) await assignOne(trx, p, h, role, 'add');
    for (const role of removing) await assignOne(trx, p, h, role, 'remove');
  });
}

export async function assignRole(ctx: Ctx, p: Principal, h: Holder, roleUid: string): Promise<void> {
  await authorize(ctx, p, ACTIONS[h.kind].add, p.orgId);
  await change(ctx, p, h, async (_current, find) => ({ adding: [await find(roleUid)], removing: [] }));
}

export async function unassignRole(ctx: Ctx, p: Principal, h: Holder, roleUid: string): Promise<void> {
  await authorize(ctx, p, ACTIONS[h.kind].remove, p.orgId);
  await change(ctx, p, h, async (_current, find) => ({ adding: [], removing: [await find(roleUid)] }));
}

/** The holder ends with exactly these roles (Grafana's PUT .../roles). */
export async function setRoles(ctx: Ctx, p: Principal, h: Holder, roleUids: string[]): Promise<void> {
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
export async function roleAssignments(ctx: Ctx, p: Principal, roleUid: string): Promise<{ users: number[]; teams: number[] }> {
  for (const action of ['users.roles:read', 'teams.roles:read'] as const) await authorize(ctx, p, action, p.orgId);
  const role = await visibleRole(ctx.db, p.orgId, roleUid);
  return store.roleHolderIds(ctx.db, p.orgId, role.id);
}

/**
 * The role ends up held by exactly these users and teams of the caller's org (Grafana's PUT
 * .../roles/:uid/assignments, which Terraform's grafana_role_assignment calls). Unknown or
 * foreign users and teams are 404; nothing changes unless all are found.
 */
export async function setRoleAssignments(ctx: Ctx, p: Principal, roleUid: string, wanted: { users: number[]; teams: number[] }): Promise<void> {
  for (const action of ['users.roles:add', 'users.roles:remove', 'teams.roles:add', 'teams.roles:remove'] as const) await authorize(ctx, p, action, p.orgId);
  await inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, p.orgId);
    const role = await visibleRole(trx, p.orgId, roleUid);
    const holders: Holder[] = [...new Set(wanted.users)].map((id) => ({ kind: 'user', id }));
    holders.push(...[...new Set(wanted.teams)].map((id): Holder => ({ kind: 'team', id })));
    for (const h of holders) await checkHolder(trx, p.orgId, h);
    const current = await store.roleHolderIds(trx, p.orgId, role.id);
    const adding = holders.filter((h) => (h.kind === 'user' ? !current.users.includes(h.id) : h.kind === 'team' && !current.teams.includes(h.id)));
    const removing: Holder[] = [
      ...current.users.filter((id) => !wanted.users.includes(id)).map((id): Holder => ({ kind: 'user', id })),
      ...current.teams.filter((id) => !wanted.teams.includes(id)).map((id): Holder => ({ kind: 'team', id })),
    ];
    if (adding.length || removing.length) await checkHeld({ ...ctx, db: trx }, p, p.orgId, role.permissions);
    for (const h of adding) await assignOne(trx, p, h, role, 'add');
    for (const h of removing) await assignOne(trx, p, h, role, 'remove');
  });
}
