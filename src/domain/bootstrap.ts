// First start: org 1 "Main Org." and the server admin, created once, even when several processes
// start at once on an empty database.
import { type Ctx, type Db } from './context.ts';
import { newGeneratedPassword } from './secrets.ts';
import { invalid, isDomainError } from './errors.ts';
import { findOrg, insertOrg, MAIN_ORG_NAME } from './orgs.ts';
import { createUser, findUserByLoginOrEmail } from './users.ts';
import { holdAdvisoryLock, takeSqliteWriteLock } from '../store/meta.ts';
import { anyOrgExists } from '../store/orgs.ts';
import { anyServerAdminExcept } from '../store/users.ts';

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
  if (ctx.dialect === 'postgres') await holdAdvisoryLock(trx, LOCK_ID);
  else await takeSqliteWriteLock(trx);
}

export async function bootstrap(ctx: Ctx, admin: { login: string; password?: string }): Promise<BootstrapResult> {
  return ctx.db.transaction().execute(async (trx) => {
    await holdBootstrapLock(ctx, trx);
    // The domain calls below join this transaction.
    const tctx: Ctx = { ...ctx, db: trx };
    if (!(await findOrg(trx, 1))) {
      if (!(await anyOrgExists(trx))) await insertOrg(trx, { name: MAIN_ORG_NAME });
    }
    if ((await anyServerAdminExcept(trx, 0)) || (await findUserByLoginOrEmail(trx, admin.login))) return {};
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
