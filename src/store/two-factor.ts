// The user_totp and recovery_codes tables: a user's TOTP factor (secret encrypted) and the keyed
// hashes of their recovery codes.
import type { Db } from './db.ts';

export async function findTotp(db: Db, userId: number) {
  return db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** A new pending enrolment, replacing any earlier one that was never confirmed. */
export async function putPendingTotp(db: Db, userId: number, secretEnc: string, createdAt: string): Promise<void> {
  await db.deleteFrom('user_totp').where('user_id', '=', userId).where('confirmed_at', 'is', null).execute();
  await db.insertInto('user_totp').values({ user_id: userId, secret_enc: secretEnc, created_at: createdAt }).execute();
}

export async function confirmTotp(db: Db, userId: number, at: string, step: number): Promise<boolean> {
  const r = await db.updateTable('user_totp').set({ confirmed_at: at, last_step: step }).where('user_id', '=', userId).where('confirmed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Records `step` as the last accepted code's time step, only if it is later than the last one:
 * false when this code (or a later one) was already accepted, so no code is accepted twice, even
 * by two requests at once.
 */
export async function advanceTotpStep(db: Db, userId: number, step: number): Promise<boolean> {
  const r = await db
    .updateTable('user_totp')
    .set({ last_step: step })
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteTwoFactor(db: Db, userId: number): Promise<number> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  const r = await db.deleteFrom('user_totp').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function replaceRecoveryCodes(db: Db, userId: number, hashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

/** Spends an unused recovery code; false when there is none with this hash. */
export async function useRecoveryCode(db: Db, userId: number, hash: string, at: string): Promise<boolean> {
  const r = await db.updateTable('recovery_codes').set({ used_at: at }).where('user_id', '=', userId).where('code_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function unusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  const r = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Whether the user has a confirmed TOTP factor. */
export async function hasConfirmedTotp(db: Db, userId: number): Promise<boolean> {
  const r = await db.selectFrom('user_totp').select('user_id').where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
  return !!r;
}

/** Orgs with PostHog's enforce_2fa on. */
export async function enforcing2faOrgs(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('orgs').select('id').where('enforce_2fa', '=', 1).execute();
  return rows.map((r) => Number(r.id));
}

/** Which of `orgIds` the user is a member of. */
export async function memberOrgsAmong(db: Db, userId: number, orgIds: number[]): Promise<number[]> {
  const rows = await db.selectFrom('org_members').select('org_id').where('user_id', '=', userId).where('org_id', 'in', orgIds).execute();
  return rows.map((r) => Number(r.org_id));
}
