// The roster CLI: serve, migrate, admin tasks.
import { Command } from 'commander';
import cluster from 'node:cluster';
import { openConfiguredStore } from './store/configured-store.ts';
import { migrate } from './store/migrate.ts';
import { setPassword } from './domain/user-passwords.ts';
import { newGeneratedPassword } from './domain/secrets.ts';
import { seedCommand } from './cli/seed.ts';
import { action, cliPrincipal, configFrom, out, settingsLast, withSettingFlags } from './cli/context.ts';
import { PACKAGE_VERSION } from './cli/project-root.ts';
import { startupErrorLine } from './cli/startup-error.ts';
import { ConfigError, type Config } from './config.ts';
import { userArg, userCommands } from './cli/users.ts';
import { orgCommands } from './cli/orgs.ts';
import { tokenCommands } from './cli/tokens.ts';
import { scimTokenCommands } from './cli/scim-tokens.ts';
import { exportImportCommands } from './cli/export-import.ts';
import { demoSeedCommand } from './cli/demo-seed.ts';

const program = new Command().name('roster').description('Organizations and users with Grafana, OnCall and PostHog APIs').version(PACKAGE_VERSION, '-V, --version', 'print the version of Roster');

/** The configuration of the command running, once read: start-up failures name its settings. */
let running: Config | undefined;
const settings = (opts: Record<string, unknown>) => (running = configFrom(opts));

const count = (name: string) => (v: string) => {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`--${name} must be a whole number, got "${v}"`);
  return n;
};

withSettingFlags(program.command('serve').description('Run the HTTP server (migrations run first)'))
  .option('--workers <n>', 'ROSTER_WORKERS: worker processes sharing the port (node:cluster); 0 = one process, no cluster', (v) => count('workers')(v), 0)
  .action(async (opts) => {
    const config = settings(opts);
    // Loaded here, not above: the HTTP server's modules double the start-up of every other command.
    const { serveOne, servePrimary } = await import('./cli/serve.ts');
    if (cluster.isWorker) return serveOne(config, true);
    const workers = opts.workers || count('workers')(process.env.ROSTER_WORKERS ?? '0');
    if (workers > 0) return servePrimary(config, workers);
    return serveOne(config);
  });

withSettingFlags(program.command('migrate').description('Apply pending database migrations and exit')).action(async (opts) => {
  const store = await openConfiguredStore(settings(opts));
  const applied = await migrate(store);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
  await store.close();
});

const seed = withSettingFlags(program.command('seed').description('Fill the database with synthetic orgs, users and memberships (load tests)'))
  .option('--users <n>', 'users to create', count('users'), 0)
  .option('--orgs <n>', 'orgs to create', count('orgs'), 0)
  .option('--memberships <n>', 'memberships, spread evenly over users and orgs', count('memberships'), 0)
  .option('--password <password>', 'the password of every seeded user', 'seed-password')
  .action(async (opts) => {
    await seedCommand(settings(opts), { users: opts.users, orgs: opts.orgs, memberships: opts.memberships, password: opts.password });
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
scimTokenCommands(program, withSettingFlags);
exportImportCommands(program, withSettingFlags);
demoSeedCommand(seed, withSettingFlags);
settingsLast(program);

program.parseAsync().catch((err) => {
  // A setting's mistake (a bad value, a taken port, a missing database) or a refusal by the
  // domain is one line and exit 1; anything else is a bug and keeps its stack trace.
  console.error(startupErrorLine(err, running) ?? err);
  process.exit(1);
});
