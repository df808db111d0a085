// Sessions a user can see and end (Grafana's auth tokens), password reset codes, and TOTP
// second factors with their recovery codes.
import type { Kysely } from 'kysely';
import { idColumn, type MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const id = idColumn(ctx.dialect);

  // What Grafana's user_auth_token keeps: when the session was last seen and rotated, the hash of
  // the token it had before its last rotation (honoured for a short grace), the client address
  // and user agent of its last request, and how it was signed in (password or sso).
  for (const [name, type] of [
    ['seen_at', 'text'],
    ['rotated_at', 'text'],
    ['prev_hash', 'text'],
    ['client_ip', 'text'],
    ['user_agent', 'text'],
  ] as const) {
    await db.schema.alterTable('sessions').addColumn(name, type).execute();
  }
  await db.schema
    .alterTable('sessions')
    .addColumn('auth_method', 'text', (c) => c.notNull().defaultTo('password'))
    .execute();
  await db.schema.createIndex('sessions_prev_hash').on('sessions').column('prev_hash').execute();

  // A mailed password reset code: single use, expires; only its keyed hash is kept.
  await db.schema
    .createTable('password_resets')
    .addColumn('id', id.type, id.build)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_resets_user').on('password_resets').column('user_id').execute();

  // A user's TOTP factor: the secret encrypted (domain/secret-box.ts); confirmed_at null while
  // enrolment waits for its first code. last_step: the time step of the last code accepted, so a
  // code is never accepted twice.
  await db.schema
    .createTable('user_totp')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('last_step', 'integer')
    .execute();

  // PostHog's enforce_2fa lives in the org's settings document; this copy of it lets every
  // password sign-in find the enforcing orgs through an index. Existing documents are read once.
  await db.schema
    .alterTable('orgs')
    .addColumn('enforce_2fa', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('orgs_enforce_2fa').on('orgs').column('enforce_2fa').execute();
  const candidates = (await db.selectFrom('orgs').select(['id', 'settings']).where('settings', 'like', '%enforce2fa%').execute()) as { id: number; settings: string }[];
  for (const org of candidates) {
    if (enforces(org.settings)) await db.updateTable('orgs').set({ enforce_2fa: 1 }).where('id', '=', org.id).execute();
  }

  // Recovery codes: keyed hashes, each spent once (used_at).
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', id.type, id.build)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').columns(['user_id', 'code_hash']).execute();
}

function enforces(json: string): boolean {
  try {
    return (JSON.parse(json) as { enforce2fa?: unknown }).enforce2fa === true;
  } catch {
    return false;
  }
}
