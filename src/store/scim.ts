// What SCIM reads and writes beyond Roster's own rows (migrations/0017): its org-bound tokens, the
// users provisioned into an org with their externalId, and the externalId of a team's group. Every
// read of a user or a group is scoped by the token's org in the query itself.
import type { Insertable } from 'kysely';
import { batches } from './batches.ts';
import type { Db } from './db.ts';
import type { ScimTokenTable } from './schema.ts';

// Tokens.

export async function insertScimToken(db: Db, values: Insertable<ScimTokenTable>): Promise<{ id: number }> {
  return db.insertInto('scim_tokens').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function findScimTokenByHash(db: Db, hash: string) {
  return db.selectFrom('scim_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
}

export async function stampScimTokenUsed(db: Db, id: number, ts: string): Promise<void> {
  await db.updateTable('scim_tokens').set({ last_used_at: ts }).where('id', '=', id).execute();
}

export async function scimTokensOf(db: Db, orgId: number) {
  return db
    .selectFrom('scim_tokens')
    .select(['id', 'org_id as orgId', 'name', 'mask', 'created_by as createdBy', 'created_at as createdAt', 'last_used_at as lastUsedAt', 'revoked_at as revokedAt'])
    .where('org_id', '=', orgId)
    .orderBy('id')
    .execute();
}

/** Answers how many rows changed (0: no such live token in the org). */
export async function revokeScimTokenRow(db: Db, orgId: number, id: number, ts: string): Promise<number> {
  const r = await db.updateTable('scim_tokens').set({ revoked_at: ts }).where('org_id', '=', orgId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// Users: an org's SCIM users are its members and the users provisioned into it (a deprovisioned
// one keeps its scim_users row and answers `active: false`).

export interface ScimUserRow {
  id: number;
  uuid: string;
  login: string;
  email: string;
  name: string;
  is_disabled: number;
  is_admin: number;
  created_at: string;
  updated_at: string;
  external_id: string | null;
  /** The scim_users row exists. */
  provisioned: number | null;
  /** A member of the org. */
  member: number | null;
}

/** One condition an org's SCIM users can be looked up by through an index. */
export type ScimUserKey = { uuid: string } | { login: string } | { email: string } | { externalId: string } | { userId: number };

/**
 * The org's SCIM users. `all`: every one of them, read from the org's own rows first (primary-key
 * lookups of its members and provisioned users), never a scan of every user. Otherwise the caller
 * names one user by an indexed column, and the joins only say whether the org has them.
 */
function scimUsers(db: Db, orgId: number, all: boolean) {
  const q = db
    .selectFrom('users')
    .leftJoin('scim_users as su', (j) => j.onRef('su.user_id', '=', 'users.id').on('su.org_id', '=', orgId))
    .leftJoin('org_members as m', (j) => j.onRef('m.user_id', '=', 'users.id').on('m.org_id', '=', orgId))
    .select([
      'users.id',
      'users.uuid',
      'users.login',
      'users.email',
      'users.name',
      'users.is_disabled',
      'users.is_admin',
      'users.created_at',
      'users.updated_at',
      'su.external_id',
      'su.user_id as provisioned',
      'm.user_id as member',
    ]);
  if (!all) return q.where((eb) => eb.or([eb('su.user_id', 'is not', null), eb('m.user_id', 'is not', null)]));
  return q.where('users.id', 'in', (eb) =>
    eb
      .selectFrom('org_members')
      .select('org_members.user_id')
      .where('org_members.org_id', '=', orgId)
      .union(eb.selectFrom('scim_users').select('scim_users.user_id').where('scim_users.org_id', '=', orgId)),
  );
}

/** The org's SCIM users matching `key` (an indexed lookup), or all of them when none is given, by id. */
export async function selectScimUsers(db: Db, orgId: number, key?: ScimUserKey): Promise<ScimUserRow[]> {
  let q = scimUsers(db, orgId, !key);
  if (key && 'uuid' in key) q = q.where('users.uuid', '=', key.uuid);
  if (key && 'login' in key) q = q.where('users.login', '=', key.login);
  if (key && 'email' in key) q = q.where('users.email', '=', key.email);
  if (key && 'externalId' in key) q = q.where('su.external_id', '=', key.externalId);
  if (key && 'userId' in key) q = q.where('users.id', '=', key.userId);
  return (await q.orderBy('users.id').execute()) as ScimUserRow[];
}

/** One page of the org's SCIM users in id order, with their total (no filter). */
export async function scimUserPage(db: Db, orgId: number, offset: number, limit: number): Promise<{ total: number; rows: ScimUserRow[] }> {
  const [rows, count] = await Promise.all([
    limit > 0 ? scimUsers(db, orgId, true).orderBy('users.id').limit(limit).offset(offset).execute() : [],
    scimUsers(db, orgId, true)
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: Number(count.n), rows: rows as ScimUserRow[] };
}

export async function upsertScimUser(db: Db, orgId: number, userId: number, externalId: string | null, ts: string): Promise<void> {
  await db
    .insertInto('scim_users')
    .values({ org_id: orgId, user_id: userId, external_id: externalId, created_at: ts })
    .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ external_id: externalId }))
    .execute();
}

export async function deleteScimUser(db: Db, orgId: number, userId: number): Promise<void> {
  await db.deleteFrom('scim_users').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

/** Whether the user belongs to an org other than `orgId`. */
export async function memberElsewhere(db: Db, orgId: number, userId: number): Promise<boolean> {
  return !!(await db.selectFrom('org_members').select('org_id').where('user_id', '=', userId).where('org_id', '!=', orgId).executeTakeFirst());
}

// Groups: the org's teams.

export interface ScimGroupRow {
  id: number;
  uid: string;
  name: string;
  email: string;
  created_at: string;
  updated_at: string;
  external_id: string | null;
}

export type ScimGroupKey = { uid: string } | { name: string } | { externalId: string } | { teamId: number };

function scimGroups(db: Db, orgId: number) {
  return db
    .selectFrom('teams')
    .leftJoin('scim_groups as sg', 'sg.team_id', 'teams.id')
    .select(['teams.id', 'teams.uid', 'teams.name', 'teams.email', 'teams.created_at', 'teams.updated_at', 'sg.external_id'])
    .where('teams.org_id', '=', orgId);
}

export async function selectScimGroups(db: Db, orgId: number, key?: ScimGroupKey): Promise<ScimGroupRow[]> {
  let q = scimGroups(db, orgId);
  if (key && 'uid' in key) q = q.where('teams.uid', '=', key.uid);
  if (key && 'name' in key) q = q.where('teams.name', '=', key.name);
  if (key && 'externalId' in key) q = q.where('sg.external_id', '=', key.externalId);
  if (key && 'teamId' in key) q = q.where('teams.id', '=', key.teamId);
  return q.orderBy('teams.id').execute();
}

/** The members of these teams, as SCIM names them (user uuid, login). */
export async function scimGroupMembers(db: Db, teamIds: number[]): Promise<{ teamId: number; userId: number; uuid: string; login: string }[]> {
  if (!teamIds.length) return [];
  return db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select(['team_members.team_id as teamId', 'users.id as userId', 'users.uuid', 'users.login'])
    .where('team_members.team_id', 'in', teamIds)
    .orderBy('users.id')
    .execute();
}

/** The org's members among these SCIM ids (user uuids). */
export async function orgMembersByUuid(db: Db, orgId: number, uuids: string[]): Promise<{ userId: number; uuid: string; login: string }[]> {
  const found = await Promise.all(
    batches(uuids).map((some) =>
      db
        .selectFrom('users')
        .innerJoin('org_members as m', (j) => j.onRef('m.user_id', '=', 'users.id').on('m.org_id', '=', orgId))
        .select(['users.id as userId', 'users.uuid', 'users.login'])
        .where('users.uuid', 'in', some)
        .execute(),
    ),
  );
  return found.flat();
}

export async function setScimGroupExternalId(db: Db, orgId: number, teamId: number, externalId: string | null): Promise<void> {
  await db
    .insertInto('scim_groups')
    .values({ team_id: teamId, org_id: orgId, external_id: externalId })
    .onConflict((oc) => oc.column('team_id').doUpdateSet({ external_id: externalId }))
    .execute();
}

/** The org a SCIM token belongs to (the CLI names tokens by id alone). */
export async function scimTokenOrg(db: Db, id: number): Promise<number | undefined> {
  return (await db.selectFrom('scim_tokens').select('org_id').where('id', '=', id).executeTakeFirst())?.org_id;
}
