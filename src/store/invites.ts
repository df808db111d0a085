// The invites table: invitations to an org, found by id, by address and by the hash of their
// secret code. Only pending invites are listed, replaced or accepted; revoked and completed ones
// stay as a record, so a used code answers as used.
import type { Insertable } from 'kysely';
import type { Db } from './db.ts';
import type { InviteRow, InviteStatus, InviteTable } from './schema.ts';

/** One page of an org's pending invites, newest first, and how many it has. */
export async function selectInvites(db: Db, orgId: number, page: { limit: number; offset: number }): Promise<{ total: number; rows: InviteRow[] }> {
  const base = db.selectFrom('invites').where('org_id', '=', orgId).where('status', '=', 'pending');
  const rows = await base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { total: Number(total.n), rows };
}

/** An invite with who made it (Grafana's TempUserDTO names the inviter). */
export type InviteWithInviter = InviteRow & { inviter_login: string | null; inviter_email: string | null; inviter_name: string | null };

/** An org's pending invites not yet expired at `at`, newest first (Grafana's order), with their inviters. */
/** Invites with their inviter's login, email and name (null once the inviter is deleted). */
const withInviter = (db: Db) =>
  db
    .selectFrom('invites')
    .leftJoin('users', 'users.id', 'invites.created_by')
    .selectAll('invites')
    .select(['users.login as inviter_login', 'users.email as inviter_email', 'users.name as inviter_name']);

export async function selectLiveInvites(db: Db, orgId: number, at: string): Promise<InviteWithInviter[]> {
  return withInviter(db)
    .where('invites.org_id', '=', orgId)
    .where('invites.status', '=', 'pending')
    .where('invites.expires_at', '>', at)
    .orderBy('invites.created_at', 'desc')
    .orderBy('invites.id', 'desc')
    .execute();
}

export async function invitesToAddress(db: Db, orgId: number, email: string): Promise<InviteRow[]> {
  return db.selectFrom('invites').selectAll().where('org_id', '=', orgId).where('email', '=', email).where('status', '=', 'pending').execute();
}

/** Withdraws the address's pending invites to the org (a new invite replaces them). */
export async function deleteInvitesToAddress(db: Db, orgId: number, email: string): Promise<void> {
  await db.deleteFrom('invites').where('org_id', '=', orgId).where('email', '=', email).where('status', '=', 'pending').execute();
}

export async function insertInvite(db: Db, values: Insertable<InviteTable>): Promise<InviteRow> {
  return db.insertInto('invites').values(values).returningAll().executeTakeFirstOrThrow();
}

/** A pending invite by id, in any org. */
export async function findInviteRow(db: Db, id: string): Promise<InviteRow | undefined> {
  return db.selectFrom('invites').selectAll().where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
}

/** An invite of any status by the keyed hash of its code, with its inviter. */
export async function findInviteByCodeHash(db: Db, codeHash: string): Promise<InviteWithInviter | undefined> {
  return withInviter(db).where('invites.code_hash', '=', codeHash).executeTakeFirst();
}

/** Deletes a pending invite of the org. Answers how many rows went (0 or 1). */
export async function deleteInviteRow(db: Db, orgId: number, id: string): Promise<number> {
  const r = await db.deleteFrom('invites').where('org_id', '=', orgId).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Moves a pending invite to `status`, if it is still pending. Answers how many rows changed (0 or 1). */
export async function closeInvite(db: Db, id: string, status: Exclude<InviteStatus, 'pending'>, at: string): Promise<number> {
  const r = await db.updateTable('invites').set({ status, updated_at: at }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Completes the invite if it is still pending and its code hash still matches: the claim of an accept. Answers how many rows changed. */
export async function claimInvite(db: Db, id: string, codeHash: string, at: string): Promise<number> {
  const r = await db.updateTable('invites').set({ status: 'completed', updated_at: at }).where('id', '=', id).where('code_hash', '=', codeHash).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows);
}
