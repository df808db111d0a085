// Email delivery and verified addresses: the outbox of mail to send, pending email changes, each
// user's verified flag, and the secret code of an invite.
import type { Kysely } from 'kysely';
import { idColumn, type MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const id = idColumn(ctx.dialect);

  // Mail written in the transaction of the change that causes it; a worker sends it (mail/outbox.ts).
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', id.type, id.build)
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // Emptied once sent or given up: the text may carry a one-time code.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    // A sender's lease: another process may take the row once it has passed.
    .addColumn('claimed_until', 'text')
    .addColumn('claim_token', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('failed_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
  // The worker's query: unsent rows that are due.
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['sent_at', 'failed_at', 'next_attempt_at']).execute();

  // A self-service email change waiting for its link to be followed (domain/email-verification.ts).
  await db.schema
    .createTable('email_verifications')
    .addColumn('id', id.type, id.build)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    // Set the login to the new address too (the login was the old address).
    .addColumn('update_login', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_verifications_user').on('email_verifications').column('user_id').execute();

  // Every existing address counts as verified (admins set most of them, and there was no way to
  // confirm one), except an address its user set for themselves: that is exactly what an
  // attacker would have done to take an invite, so they must confirm it (or an admin set it).
  await db.schema
    .alterTable('users')
    .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Read in pages: the trail of a large install does not fit in memory at once.
  const lastSetter = new Map<number, { self: boolean; email: string }>();
  for (let after = 0; ;) {
    const page = (await db
      .selectFrom('audit_events')
      .select(['id', 'actor_user_id', 'object_id', 'before', 'after'])
      .where('action', '=', 'user.update')
      .where('object_type', '=', 'user')
      .where('id', '>', after)
      .orderBy('id')
      .limit(5000)
      .execute()) as { id: number; actor_user_id: number | null; object_id: string; before: string | null; after: string | null }[];
    if (!page.length) break;
    after = page[page.length - 1].id;
    for (const c of page) {
      const from = parse(c.before)?.email;
      const to = parse(c.after)?.email;
      if (typeof to !== 'string' || to === from) continue;
      lastSetter.set(Number(c.object_id), { self: c.actor_user_id === Number(c.object_id), email: to });
    }
  }
  for (const [userId, change] of lastSetter) {
    if (!change.self) continue;
    await db.updateTable('users').set({ email_verified: 0 }).where('id', '=', userId).where('email', '=', change.email).execute();
  }

  // An invite is accepted with its code, shown once or mailed; only a hash is kept. Invites made
  // before had none: they are expired now (still listed, flagged), and must be sent again.
  await db.schema.alterTable('invites').addColumn('code_hash', 'text').execute();
  const ts = new Date().toISOString();
  await db.updateTable('invites').set({ expires_at: ts, updated_at: ts }).where('expires_at', '>', ts).execute();
}

function parse(json: string | null): Record<string, unknown> | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
