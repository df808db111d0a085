// The mail_outbox table: queued messages, claimed by one worker at a time under a lease.
import { sql, type Updateable } from 'kysely';
import type { Db, Dialect } from './db.ts';
import type { MailOutboxTable } from './schema.ts';

export interface ClaimedMail {
  id: number;
  to_address: string;
  subject: string;
  body: string;
  attempts: number;
}

export async function insertMail(db: Db, message: { to: string; subject: string; text: string }, at: string): Promise<void> {
  await db.insertInto('mail_outbox').values({ to_address: message.to, subject: message.subject, body: message.text, created_at: at, next_attempt_at: at }).execute();
}

/** Whether any row is due at `at` and not claimed: a plain read, no write lock. */
export async function anyMailDue(db: Db, at: string): Promise<boolean> {
  const due = await db
    .selectFrom('mail_outbox')
    .select('id')
    .where('sent_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
    .limit(1)
    .execute();
  return due.length > 0;
}

/**
 * Claims up to `batch` rows due at `at` until `until` with `token`, in id order. PostgreSQL: rows
 * another process is claiming are skipped (SKIP LOCKED), not waited for. SQLite: one writer at a
 * time, so the single UPDATE is already atomic across processes sharing the file.
 */
export async function claimDueMail(db: Db, dialect: Dialect, at: string, until: string, token: string, batch: number): Promise<ClaimedMail[]> {
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const r = await sql<ClaimedMail>`
    update mail_outbox set claimed_until = ${until}, claim_token = ${token}
    where id in (
      select id from mail_outbox
      where sent_at is null and failed_at is null and next_attempt_at <= ${at}
        and (claimed_until is null or claimed_until < ${at})
      order by next_attempt_at, id
      limit ${batch}
      ${lock}
    )
    returning id, to_address, subject, body, attempts`.execute(db);
  return r.rows.sort((a, b) => a.id - b.id);
}

/** Updates a claimed row, only while the claim is still `token`'s. */
export async function updateClaimedMail(db: Db, id: number, token: string, set: Updateable<MailOutboxTable>): Promise<void> {
  await db.updateTable('mail_outbox').set(set).where('id', '=', id).where('claim_token', '=', token).execute();
}
