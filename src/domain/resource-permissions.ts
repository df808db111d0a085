// Resource permissions: a user or team made Edit or Admin of one service account (Grafana's
// managed permissions; docs/access-control.md). Each is the set of actions of its level, scoped
// to that account, in the managed role of the user or team, so the one policy decides on them
// like on any role. A team's Member/Admin levels are team memberships (team-admin.ts).
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, lockLiveOrg, type Ctx, type Db } from './context.ts';
import { invalid, notFound } from './errors.ts';
import { grafanaUid, isRowId } from './ids.ts';
import { authorize, resourceScope, TEAM_ADMIN, TEAM_MEMBER, type OrgAction } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { findServiceAccount, saResource } from './service-accounts.ts';
import { findTeam, teamFor } from './teams.ts';
import { addTeamMember, removeTeamMember, updateTeamMember } from './team-members.ts';
import { teamPermissionOf } from '../store/team-members.ts';
import { isMember } from '../store/org-members.ts';
import * as store from '../store/access-control.ts';

/** Grafana's service-account permission levels and the actions each holds on the account. */
export const SA_LEVELS: Record<'Edit' | 'Admin', OrgAction[]> = {
  Edit: ['serviceaccounts:read', 'serviceaccounts:write'],
  Admin: ['serviceaccounts:read', 'serviceaccounts:write', 'serviceaccounts:delete', 'serviceaccounts.permissions:read', 'serviceaccounts.permissions:write'],
};

export type SaLevel = keyof typeof SA_LEVELS;

export interface ResourcePermission {
  kind: 'user' | 'team';
  id: number;
  permission: SaLevel;
  actions: string[];
}

const levelOf = (actions: string[]): SaLevel => (actions.includes('serviceaccounts:delete') ? 'Admin' : 'Edit');

/** The subject a managed role names ("managed:users:5:permissions"). */
function subjectOf(name: string): { kind: 'user' | 'team'; id: number } | null {
  const m = /^managed:(users|teams):(\d+):permissions$/.exec(name);
  return m ? { kind: m[1] === 'users' ? 'user' : 'team', id: Number(m[2]) } : null;
}

async function accountIn(db: Db, orgId: number, id: number) {
  const sa = await findServiceAccount(db, orgId, id);
  if (!sa) throw notFound('sa.not-found', 'service account not found');
  return sa;
}

/** Who holds which level on one service account of the caller's org. */
export async function serviceAccountPermissions(ctx: Ctx, p: Principal, saId: number): Promise<ResourcePermission[]> {
  await authorize(ctx, p, 'serviceaccounts.permissions:read', p.orgId, saResource(saId));
  await accountIn(ctx.db, p.orgId, saId);
  const bySubject = new Map<string, { kind: 'user' | 'team'; id: number; actions: string[] }>();
  for (const row of await store.resourceGrantRows(ctx.db, p.orgId, resourceScope(saResource(saId)))) {
    const subject = subjectOf(row.name);
    if (!subject) continue;
    const entry = bySubject.get(row.name) ?? { ...subject, actions: [] };
    entry.actions.push(row.action);
    bySubject.set(row.name, entry);
  }
  return [...bySubject.values()].map((e) => ({ ...e, permission: levelOf(e.actions) }));
}

/** Sets (or with "" removes) a user's or team's level on one service account. */
export async function setServiceAccountPermission(ctx: Ctx, p: Principal, saId: number, subject: { kind: 'user' | 'team'; id: number }, permission: string): Promise<void> {
  await authorize(ctx, p, 'serviceaccounts.permissions:write', p.orgId, saResource(saId));
  const scope = resourceScope(saResource(saId));
  await inTransaction(ctx, async (trx) => {
    await lockLiveOrg(ctx, trx, p.orgId);
    await accountIn(trx, p.orgId, saId);
    if (subject.kind === 'user' && !(isRowId(subject.id) && (await isMember(trx, p.orgId, subject.id)))) throw notFound('user.not-found', 'user not found');
    if (subject.kind === 'team' && !(isRowId(subject.id) && (await findTeam(trx, p.orgId, subject.id)))) throw notFound('team.not-found', 'Team not found');
    if (permission !== '' && !(permission in SA_LEVELS)) throw invalid('resource-permission.invalid', 'invalid permission');
    const name = store.managedRoleName(subject.kind === 'user' ? 'users' : 'teams', subject.id);
    let role = await store.findManagedRole(trx, p.orgId, name);
    const before = role ? (await store.resourceGrantRows(trx, p.orgId, scope)).filter((r) => r.name === name).map((r) => r.action) : [];
    if (!role && permission === '') return;
    const ts = now();
    role ??= await store.insertRole(trx, { uid: grafanaUid(), org_id: p.orgId, name, display_name: '', description: '', group_name: '', hidden: 1, version: 1, created_at: ts, updated_at: ts });
    if (subject.kind === 'user') await store.addUserRole(trx, p.orgId, subject.id, role.id, ts);
    else await store.addTeamRole(trx, subject.id, role.id, ts);
    await store.deleteScopedPermissions(trx, role.id, scope);
    const actions = permission === '' ? [] : SA_LEVELS[permission as SaLevel];
    await store.addPermissions(
      trx,
      role.id,
      actions.map((action) => ({ action, scope })),
    );
    if (before.length === 0 && actions.length === 0) return;
    await audit(trx, p, {
      action: 'resource-permission.set',
      objectType: 'resource-permission',
      objectId: `${scope}:${subject.kind}:${subject.id}`,
      orgId: p.orgId,
      before: before.length ? { permission: levelOf(before) } : undefined,
      after: actions.length ? { permission } : undefined,
    });
  });
}

/** Several users' and teams' levels on one service account, all or nothing (Grafana's bulk form). */
export async function setServiceAccountPermissions(ctx: Ctx, p: Principal, saId: number, items: { subject: { kind: 'user' | 'team'; id: number }; permission: string }[]): Promise<void> {
  await authorize(ctx, p, 'serviceaccounts.permissions:write', p.orgId, saResource(saId));
  await inTransaction(ctx, async (trx) => {
    await accountIn(trx, p.orgId, saId);
    for (const item of items) await setServiceAccountPermission({ ...ctx, db: trx }, p, saId, item.subject, item.permission);
  });
}

/** Grafana's team permission levels over team membership (team-admin.ts holds what each grants). */
export const TEAM_LEVELS = { Member: TEAM_MEMBER, Admin: TEAM_ADMIN } as const;

export const teamLevelName = (permission: number) => (permission === TEAM_ADMIN ? 'Admin' : 'Member');

/** Makes a member of the org a Member or Admin of a team, or ("") takes them out of it. */
export async function setTeamUserPermission(ctx: Ctx, p: Principal, teamId: number, userId: number, permission: string): Promise<void> {
  const team = await teamFor(ctx, p, teamId, 'teams.permissions:write');
  if (!(await isMember(ctx.db, p.orgId, userId))) throw notFound('user.not-found', 'user not found');
  if (permission !== '' && !(permission in TEAM_LEVELS)) throw invalid('resource-permission.invalid', 'invalid permission');
  const current = await teamPermissionOf(ctx.db, team.id, userId);
  if (permission === '') {
    if (current !== undefined) await removeTeamMember(ctx, p, team.id, userId);
    return;
  }
  const level = TEAM_LEVELS[permission as keyof typeof TEAM_LEVELS];
  if (current === undefined) await addTeamMember(ctx, p, team.id, userId, level);
  else if (current !== level) await updateTeamMember(ctx, p, team.id, userId, level);
}
