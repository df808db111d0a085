// Failed sign-ins are also counted per client address (domain/login-throttle.ts): that count
// runs on every sign-in, so it needs its own index.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './helpers.ts';

export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema.createIndex('login_attempts_ip').on('login_attempts').columns(['ip', 'created_at']).execute();
}
