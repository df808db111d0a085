// The invites table: pending invitations to an org, found by id and by address.
import type { Insertable } from 'kysely';
import type { Db } from './db.ts';
import type { InviteRow, InviteTable } from './schema.ts';

/** One page of an org's invites, newest first, and how many it has. */
export async function selectInvites(db: Db, orgId: number, page: { limit: number; offset: number }): Promise<{ total: number; rows: InviteRow[] }> {
  const base = db.selectFrom('invites').where('org_id', '=', orgId);
  const rows = await base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { total: Number(total.n), rows };
}

export async function invitesToAddress(db: Db, orgId: number, email: string): Promise<InviteRow[]> {
  return db.selectFrom('invites').selectAll().where('org_id', '=', orgId).where('email', '=', email).execute();
}

export async function deleteInvitesToAddress(db: Db, orgId: number, email: string): Promise<void> {
  await db.deleteFrom('invites').where('org_id', '=', orgId).where('email', '=', email).execute();
}

export async function insertInvite(db: Db, values: Insertable<InviteTable>): Promise<InviteRow> {
  return db.insertInto('invites').values(values).returningAll().executeTakeFirstOrThrow();
}

/** `orgId` undefined: any org. */
export async function findInviteRow(db: Db, id: string): Promise<InviteRow | undefined> {
  return db.selectFrom('invites').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Answers how many rows went (0 or 1). */
export async function deleteInviteRow(db: Db, orgId: number, id: string): Promise<number> {
  const r = await db.deleteFrom('invites').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes the invite if its code hash still matches: the claim of an accept. Answers how many rows went. */
export async function claimInvite(db: Db, id: string, codeHash: string): Promise<number> {
  const r = await db.deleteFrom('invites').where('id', '=', id).where('code_hash', '=', codeHash).executeTakeFirst();
  return Number(r.numDeletedRows);
}
