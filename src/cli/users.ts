// `roster user create|list|passwd|set-email|disable|enable`: user administration through the domain.
import type { Command } from 'commander';
import { countUsers, createUser, findUser, findUserByLoginOrEmail, searchUsers, setDisabled, updateProfile, type ListedUser, type User } from '../domain/users.ts';
import { setPassword } from '../domain/user-passwords.ts';
import { newGeneratedPassword } from '../domain/secrets.ts';
import { action, cliPrincipal, CliError, EXIT, out, positiveInt, table, type CliContext } from './context.ts';

/** A user by login, email or numeric id; exit 2 when none. */
export async function userArg(cli: CliContext, ref: string): Promise<User> {
  const user = /^\d+$/.test(ref) ? await findUser(cli.ctx.db, Number(ref)) : await findUserByLoginOrEmail(cli.ctx.db, ref);
  if (!user) throw new CliError(EXIT.notFound, `No user "${ref}"`);
  return user;
}

const view = (u: ListedUser) => ({ id: u.id, login: u.login, email: u.email, name: u.name, isServerAdmin: u.is_admin === 1, isDisabled: u.is_disabled === 1, createdAt: u.created_at });

export function userCommands(program: Command, withFlags: (c: Command) => Command): void {
  const user = program.command('user').description('Manage users');

  withFlags(user.command('create').description('Create a user; prints the password when generated'))
    .argument('<login>', 'login of the new user')
    .option('--email <email>', 'email (default: the login)')
    .option('--name <name>', 'display name')
    .option('--password <password>', 'password (default: generated and printed once)')
    .option('--server-admin', 'make the user a server admin')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, login: string, opts: { email?: string; name?: string; password?: string; serverAdmin?: boolean }) => {
        const password = opts.password ?? newGeneratedPassword();
        const u = await createUser(cli.ctx, cliPrincipal(), { login, email: opts.email, name: opts.name, password, isAdmin: !!opts.serverAdmin });
        out(cli, { ...view(u), ...(opts.password ? {} : { password }) }, () => `Created user "${u.login}" (id ${u.id})` + (opts.password ? '' : `\nPassword (shown once): ${password}`));
      }),
    );

  withFlags(user.command('list').description('List users'))
    .option('--query <text>', 'substring of login, email or name')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, opts: { query?: string; limit: string }) => {
        const limit = positiveInt(opts.limit, '--limit');
        const users = await searchUsers(cli.ctx, cliPrincipal(), { query: opts.query, limit, offset: 0 });
        const total = await countUsers(cli.ctx, cliPrincipal(), opts.query);
        const rows = users.map(view);
        out(cli, { total, users: rows }, () => table(rows, ['id', 'login', 'email', 'name', 'isServerAdmin', 'isDisabled']) + `\n${total} user(s)`);
      }),
    );

  withFlags(user.command('passwd').description("Set a user's password"))
    .argument('<user>', 'login, email or id')
    .option('--password <password>', 'the new password (default: generated and printed once)')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, ref: string, opts: { password?: string }) => {
        const u = await userArg(cli, ref);
        const password = opts.password ?? newGeneratedPassword();
        await setPassword(cli.ctx, cliPrincipal(), u.id, password);
        out(cli, { id: u.id, login: u.login, ...(opts.password ? {} : { password }) }, () =>
          opts.password ? `Password of "${u.login}" updated` : `New password of "${u.login}" (shown once): ${password}`,
        );
      }),
    );

  // The operator sets an address as an admin does (PUT /api/users/:id): it counts as verified,
  // and voids any change the user had pending.
  withFlags(user.command('set-email').description("Set a user's email (counts as verified)"))
    .argument('<user>', 'login, email or id')
    .argument('<email>', 'the new address')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, ref: string, email: string) => {
        const u = await userArg(cli, ref);
        await updateProfile(cli.ctx, cliPrincipal(), u.id, { login: u.login, email });
        const after = await userArg(cli, String(u.id));
        out(cli, { id: u.id, login: after.login, email: after.email, emailVerified: after.email_verified === 1 }, () => `Email of "${after.login}" set to ${after.email} (verified)`);
      }),
    );

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    withFlags(user.command(name).description(`${disabled ? 'Disable' : 'Enable'} a user${disabled ? ' (ends their sessions)' : ''}`))
      .argument('<user>', 'login, email or id')
      .option('--json', 'machine-readable output')
      .action(
        action(async (cli, ref: string) => {
          const u = await userArg(cli, ref);
          await setDisabled(cli.ctx, cliPrincipal(), u.id, disabled);
          out(cli, { id: u.id, login: u.login, isDisabled: disabled }, () => `User "${u.login}" ${disabled ? 'disabled' : 'enabled'}`);
        }),
      );
  }
}
