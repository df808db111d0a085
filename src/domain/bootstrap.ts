// First start: org 1 "Main Org." and the server admin, created once, even when several processes
// start at once on an empty database.
import { sql } from 'kysely';
import { type Ctx, type Db } from './context.ts';
import { newGeneratedPassword } from './secrets.ts';
import { invalid, isDomainError } from './errors.ts';
import { findOrg, insertOrg, MAIN_ORG_NAME } from './orgs.ts';
import { createUser, findUserByLoginOrEmail } from './users.ts';

export interface BootstrapResult {
  /** Set only when the admin was created now with a generated password, to print it once. */
  generatedPassword?: string;
}

const LOCK_ID = 727275; // arbitrary, fixed: "roster bootstrap" (migrations use 727274)

/**
 * Makes this transaction the only bootstrapper until it ends, before it reads anything, so a
 * second process waits and then finds the org and the admin the first one created.
 */
async function holdBootstrapLock(ctx: Ctx, trx: Db): Promise<void> {
  if (ctx.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_ID})`.execute(trx);
  // SQLite: a write statement takes the database's write lock (waiting up to busy_timeout),
  // even one that deletes nothing, which is the point: no row changes.
  else await trx.deleteFrom('meta').where('key', '=', 'bootstrap-lock').execute();
}

export async function bootstrap(ctx: Ctx, admin: { login: string; password?: string }): Promise<BootstrapResult> {
  return ctx.db.transaction().execute(async (trx) => {
    await holdBootstrapLock(ctx, trx);
    // The domain calls below join this transaction.
    const tctx: Ctx = { ...ctx, db: trx };
    if (!(await findOrg(trx, 1))) {
      const anyOrg = await trx.selectFrom('orgs').select('id').limit(1).executeTakeFirst();
      if (!anyOrg) await insertOrg(trx, { name: MAIN_ORG_NAME });
    }
    const anyAdmin = await trx.selectFrom('users').select('id').where('is_admin', '=', 1).limit(1).executeTakeFirst();
    if (anyAdmin || (await findUserByLoginOrEmail(trx, admin.login))) return {};
    const password = admin.password ?? newGeneratedPassword();
    await createUser(tctx, null, {
      login: admin.login,
      email: admin.login.includes('@') ? admin.login : `${admin.login}@localhost`,
      password,
      isAdmin: true,
    }).catch((err) => {
      // Said in terms of the setting the operator typed, not of an API request.
      if (isDomainError(err) && err.code.startsWith('password.')) {
        throw invalid('bootstrap.admin-password', `ROSTER_ADMIN_PASSWORD is refused by the password policy: ${err.message} (docs/sessions-and-login.md)`);
      }
      throw err;
    });
    return admin.password ? {} : { generatedPassword: password };
  });
}
