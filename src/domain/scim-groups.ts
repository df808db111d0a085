// Groups as an identity provider provisions them: a SCIM group is a team of the token's org
// (docs/scim.md). Members are the org's users named by their SCIM id; someone outside the org is
// an invalid value, and nothing is written. Every change goes through the team operations.
import { audit } from './audit.ts';
import { inTransaction, longReads, type Commit, type Ctx, type Db } from './context.ts';
import { invalid, notFound } from './errors.ts';
import { authorize } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { addTeamMembers, removeTeamMember } from './team-members.ts';
import { createTeam, deleteTeam, updateTeam } from './teams.ts';
import { orgMembersByUuid, scimGroupMembers, selectScimGroups, setScimGroupExternalId, type ScimGroupKey, type ScimGroupRow } from '../store/scim.ts';

export type { ScimGroupKey };

export interface GroupMember {
  userId: number;
  /** The member's SCIM id. */
  uuid: string;
  login: string;
}

export interface ProvisionedGroup {
  teamId: number;
  /** The SCIM id. */
  uid: string;
  name: string;
  externalId: string | null;
  members: GroupMember[];
  createdAt: string;
  updatedAt: string;
}

export interface DesiredGroup {
  name: string;
  externalId: string | null;
  /** SCIM ids of the members. */
  members: string[];
}

const within = (ctx: Ctx, trx: Db): Ctx => ({ ...ctx, db: trx as Ctx['db'], reads: trx as Ctx['db'] });

function assembled(rows: ScimGroupRow[], members: { teamId: number; userId: number; uuid: string; login: string }[]): ProvisionedGroup[] {
  return rows.map((r) => ({
    teamId: r.id,
    uid: r.uid,
    name: r.name,
    externalId: r.external_id,
    members: members.filter((m) => m.teamId === r.id).map(({ userId, uuid, login }) => ({ userId, uuid, login })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

async function withMembers(db: Db, rows: ScimGroupRow[]): Promise<ProvisionedGroup[]> {
  return assembled(
    rows,
    await scimGroupMembers(
      db,
      rows.map((r) => r.id),
    ),
  );
}

export async function findProvisionedGroups(ctx: Ctx, p: Principal, key?: ScimGroupKey): Promise<ProvisionedGroup[]> {
  await authorize(ctx, p, 'teams:read', p.orgId);
  const db = longReads(ctx);
  return withMembers(db, await selectScimGroups(db, p.orgId, key));
}

async function oneRow(trx: Db, orgId: number, uid: string): Promise<ScimGroupRow> {
  const [row] = await selectScimGroups(trx, orgId, { uid });
  if (!row) throw notFound('scim.not-found', 'Resource not found');
  return row;
}

/** The group as the transaction leaves it, read with the commit (in its round trip on PostgreSQL). */
async function committedGroup(trx: Db, orgId: number, teamId: number, commit: Commit): Promise<ProvisionedGroup> {
  const [rows, members] = await Promise.all([selectScimGroups(trx, orgId, { teamId }), scimGroupMembers(trx, [teamId]), commit()]);
  return assembled(rows, members)[0]!;
}

/**
 * The members' user ids, in the order named, without repeats; each must be a member of the org
 * (the first that is not fails). `known`: members already in the group, not looked up again. One
 * query for all the others.
 */
async function memberIds(trx: Db, orgId: number, uuids: string[], known: GroupMember[] = []): Promise<number[]> {
  const had = new Map(known.map((m) => [m.uuid, m.userId]));
  const named = [...new Set(uuids)];
  const lookedUp = named.filter((uuid) => typeof uuid === 'string' && !had.has(uuid));
  const found = new Map((await orgMembersByUuid(trx, orgId, lookedUp)).map((m) => [m.uuid, m.userId]));
  return named.map((uuid) => {
    const id = had.get(uuid) ?? found.get(uuid);
    if (id === undefined) throw invalid('scim.member-invalid', `No user of this organization has the id "${String(uuid)}"`, { attr: 'members' });
    return id;
  });
}

export async function provisionGroup(ctx: Ctx, p: Principal, want: DesiredGroup): Promise<ProvisionedGroup> {
  await authorize(ctx, p, 'teams:create', p.orgId);
  return inTransaction(ctx, async (trx, commit) => {
    const tctx = within(ctx, trx);
    const ids = await memberIds(trx, p.orgId, want.members);
    const team = await createTeam(tctx, p, { name: want.name });
    await link(trx, p, team.id, want.externalId);
    if (ids.length) await addTeamMembers(tctx, p, team.id, ids);
    return committedGroup(trx, p.orgId, team.id, commit);
  });
}

/** PUT and PATCH: `change` turns the group as stored into the wanted one; one transaction. */
export async function updateProvisionedGroup(ctx: Ctx, p: Principal, uid: string, change: (current: ProvisionedGroup) => DesiredGroup): Promise<ProvisionedGroup> {
  await authorize(ctx, p, 'teams:write', p.orgId);
  return inTransaction(ctx, async (trx, commit) => {
    const tctx = within(ctx, trx);
    const row = await oneRow(trx, p.orgId, uid);
    const [cur] = await withMembers(trx, [row]);
    const want = change(cur!);
    const ids = await memberIds(trx, p.orgId, want.members, cur!.members);
    if (want.name !== cur!.name) await updateTeam(tctx, p, row.id, { name: want.name, email: row.email });
    if (want.externalId !== cur!.externalId) await link(trx, p, row.id, want.externalId);
    const had = new Set(cur!.members.map((m) => m.userId));
    const wanted = new Set(ids);
    for (const id of had) if (!wanted.has(id)) await removeTeamMember(tctx, p, row.id, id);
    const added = ids.filter((id) => !had.has(id));
    if (added.length) await addTeamMembers(tctx, p, row.id, added);
    return committedGroup(trx, p.orgId, row.id, commit);
  });
}

/** `check` may refuse (If-Match). */
export async function deprovisionGroup(ctx: Ctx, p: Principal, uid: string, check: (current: ProvisionedGroup) => void = () => {}): Promise<void> {
  await authorize(ctx, p, 'teams:delete', p.orgId);
  await inTransaction(ctx, async (trx) => {
    const [cur] = await withMembers(trx, [await oneRow(trx, p.orgId, uid)]);
    check(cur!);
    await deleteTeam(within(ctx, trx), p, cur!.teamId);
  });
}

/** Records a team's externalId as it was exported (cli/import-org.ts); the team is of the caller's org. */
export async function restoreGroupLink(ctx: Ctx, p: Principal, teamId: number, externalId: string | null): Promise<void> {
  await authorize(ctx, p, 'teams:write', p.orgId);
  await inTransaction(ctx, async (trx) => {
    if (!(await selectScimGroups(trx, p.orgId, { teamId })).length) throw notFound('team.not-found', 'Team not found');
    await link(trx, p, teamId, externalId);
  });
}

async function link(trx: Db, p: Principal, teamId: number, externalId: string | null): Promise<void> {
  await Promise.all([
    setScimGroupExternalId(trx, p.orgId, teamId, externalId),
    audit(trx, p, { action: 'scim.group.link', objectType: 'team', objectId: teamId, orgId: p.orgId, after: { externalId } }),
  ]);
}
