// First start: org 1 "Main Org." and the server admin, created once.
import type { Ctx } from './context.ts';
import { newGeneratedPassword } from './secrets.ts';
import { findOrg, insertOrg, MAIN_ORG_NAME } from './orgs.ts';
import { createUser, findUserByLoginOrEmail } from './users.ts';

export interface BootstrapResult {
  /** Set only when the admin was created now with a generated password, to print it once. */
  generatedPassword?: string;
}

export async function bootstrap(ctx: Ctx, admin: { login: string; password?: string }): Promise<BootstrapResult> {
  if (!(await findOrg(ctx.db, 1))) {
    const anyOrg = await ctx.db.selectFrom('orgs').select('id').limit(1).executeTakeFirst();
    if (!anyOrg) await insertOrg(ctx.db, { name: MAIN_ORG_NAME });
  }
  const anyAdmin = await ctx.db.selectFrom('users').select('id').where('is_admin', '=', 1).limit(1).executeTakeFirst();
  if (anyAdmin || (await findUserByLoginOrEmail(ctx.db, admin.login))) return {};
  const password = admin.password ?? newGeneratedPassword();
  await createUser(ctx, null, {
    login: admin.login,
    email: admin.login.includes('@') ? admin.login : `${admin.login}@localhost`,
    password,
    isAdmin: true,
  });
  return admin.password ? {} : { generatedPassword: password };
}
