// The roster CLI: serve, migrate, admin tasks.
import { Command } from 'commander';
import { loadConfig, SETTINGS, ConfigError, type SettingName } from './config.ts';
import { openStore } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { findUserByLoginOrEmail, setPassword } from './domain/users.ts';
import { newGeneratedPassword, TokenHasher } from './domain/secrets.ts';
import { tokenHashKey } from './domain/keys.ts';
import type { Ctx } from './domain/context.ts';
import { seedCommand } from './cli/seed.ts';
import cluster from 'node:cluster';
import { serveOne, servePrimary } from './cli/serve.ts';

const program = new Command().name('roster').description('Organizations and users with Grafana, OnCall and PostHog APIs');

/** Every setting is also a flag: --database-url, --port, ... */
function withSettingFlags(cmd: Command): Command {
  for (const [name, s] of Object.entries(SETTINGS)) {
    cmd.option(`--${s.flag} <value>`, `${s.env}${s.default !== undefined ? ` (default ${s.default})` : ''}`);
    void name;
  }
  return cmd;
}

function configFrom(opts: Record<string, string | undefined>) {
  const overrides: Partial<Record<SettingName, string>> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    if (opts[name] !== undefined) overrides[name] = opts[name];
  }
  return loadConfig(overrides);
}

const count = (name: string) => (v: string) => {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`--${name} must be a whole number, got "${v}"`);
  return n;
};
withSettingFlags(program.command('serve').description('Run the HTTP server (migrations run first)'))
  .option('--workers <n>', 'ROSTER_WORKERS: worker processes sharing the port (node:cluster); 0 = one process, no cluster', (v) => count('workers')(v), 0)
  .action(async (opts) => {
    const config = configFrom(opts);
    if (cluster.isWorker) return serveOne(config, true);
    const workers = opts.workers || count('workers')(process.env.ROSTER_WORKERS ?? '0');
    if (workers > 0) return servePrimary(config, workers);
    return serveOne(config);
  });

withSettingFlags(program.command('migrate').description('Apply pending database migrations and exit')).action(async (opts) => {
  const store = openStore(configFrom(opts).databaseUrl);
  const applied = await migrate(store);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
  await store.close();
});

withSettingFlags(program.command('seed').description('Fill the database with synthetic orgs, users and memberships (load tests)'))
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
  .action(async (login: string | undefined, opts) => {
    const config = configFrom(opts);
    const store = openStore(config.databaseUrl);
    await migrate(store);
    const ctx: Ctx = {
      db: store.db,
      dialect: store.dialect,
      settings: { allowOrgCreate: config.allowOrgCreate, autoAssignOrgRole: config.autoAssignOrgRole },
      hasher: new TokenHasher(await tokenHashKey(store.db)),
    };
    const user = await findUserByLoginOrEmail(ctx.db, login ?? config.adminUser);
    if (!user) {
      console.error(`No user "${login ?? config.adminUser}"`);
      await store.close();
      process.exit(2);
    }
    const password = opts.password ?? newGeneratedPassword();
    await setPassword(ctx, null, user.id, password);
    console.log(opts.password ? `Password of "${user.login}" updated` : `New password of "${user.login}": ${password}`);
    await store.close();
  });

program.parseAsync().catch((err) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(1);
});
