// The roster CLI: serve, migrate, admin tasks.
import { Command } from 'commander';
import { ConfigError } from './config.ts';
import { createRoster } from './server.ts';
import { openStore } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { setPassword } from './domain/users.ts';
import { newGeneratedPassword } from './domain/secrets.ts';
import { seedCommand } from './cli/seed.ts';
import { action, cliPrincipal, configFrom, out, withSettingFlags } from './cli/context.ts';
import { userArg, userCommands } from './cli/users.ts';
import { orgCommands } from './cli/orgs.ts';
import { tokenCommands } from './cli/tokens.ts';
import { exportImportCommands } from './cli/export-import.ts';
import { demoSeedCommand } from './cli/demo-seed.ts';

const program = new Command().name('roster').description('Organizations and users with Grafana, OnCall and PostHog APIs');

withSettingFlags(program.command('serve').description('Run the HTTP server (migrations run first)')).action(async (opts) => {
  const config = configFrom(opts);
  const roster = await createRoster(config);
  if (roster.boot.generatedPassword) {
    console.log(`Created server admin "${config.adminUser}" with password: ${roster.boot.generatedPassword}`);
    console.log('This password is shown once; change it with `roster admin reset-password`.');
  }
  await roster.app.listen({ host: config.host, port: config.port });
  console.log(`Roster listening on http://${config.host}:${config.port} (${roster.store.dialect})`);
  const stop = async () => {
    await roster.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});

withSettingFlags(program.command('migrate').description('Apply pending database migrations and exit')).action(async (opts) => {
  const store = openStore(configFrom(opts).databaseUrl);
  const applied = await migrate(store);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
  await store.close();
});

const count = (name: string) => (v: string) => {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`--${name} must be a whole number, got "${v}"`);
  return n;
};
const seed = withSettingFlags(program.command('seed').description('Fill the database with synthetic orgs, users and memberships (load tests)'))
  .option('--users <n>', 'users to create', count('users'), 0)
  .option('--orgs <n>', 'orgs to create', count('orgs'), 0)
  .option('--memberships <n>', 'memberships, spread evenly over users and orgs', count('memberships'), 0)
  .option('--password <password>', 'the password of every seeded user', 'seed-password')
  .action(async (opts) => {
    await seedCommand(configFrom(opts), { users: opts.users, orgs: opts.orgs, memberships: opts.memberships, password: opts.password });
  });

const admin = program.command('admin').description('Administrative tasks');
withSettingFlags(admin.command('reset-password').description("Set a user's password (default: the admin user)"))
  .argument('[login]', 'login or email of the user')
  .option('--password <password>', 'the new password (default: generated and printed)')
  .option('--json', 'machine-readable output')
  .action(
    action(async (cli, login: string | undefined, opts: { password?: string }) => {
      const user = await userArg(cli, login ?? cli.config.adminUser);
      const password = opts.password ?? newGeneratedPassword();
      await setPassword(cli.ctx, cliPrincipal(), user.id, password);
      out(cli, { id: user.id, login: user.login, ...(opts.password ? {} : { password }) }, () =>
        opts.password ? `Password of "${user.login}" updated` : `New password of "${user.login}": ${password}`,
      );
    }),
  );

userCommands(program, withSettingFlags);
orgCommands(program, withSettingFlags);
tokenCommands(program, withSettingFlags);
exportImportCommands(program, withSettingFlags);
demoSeedCommand(seed, withSettingFlags);

program.parseAsync().catch((err) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(1);
});
