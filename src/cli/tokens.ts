// `roster token create|revoke|list`: service-account tokens (per org) and personal API keys (per
// user). A new token's value is printed once; only its hash is stored.
import type { Command } from 'commander';
import { createServiceAccount, searchServiceAccounts, type ServiceAccount } from '../domain/service-accounts.ts';
import { createServiceAccountToken, deleteServiceAccountToken, listServiceAccountTokens } from '../domain/service-account-tokens.ts';
import { createKey, deleteKey, listKeys } from '../domain/personal-keys.ts';
import type { Principal } from '../domain/principal.ts';
import { action, cliPrincipal, cliUserPrincipal, CliError, EXIT, out, positiveInt, table, type CliContext } from './context.ts';
import { orgArg } from './orgs.ts';
import { userArg } from './users.ts';
import { tokenOwner } from '../store/tokens.ts';

/** The org's service account of that exact name, or undefined. */
export async function serviceAccountNamed(cli: CliContext, p: Principal, name: string): Promise<ServiceAccount | undefined> {
  const r = await searchServiceAccounts(cli.ctx, p, { query: name, limit: 1000, offset: 0 });
  return r.serviceAccounts.find((sa) => sa.name === name);
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function tokenCommands(program: Command, withFlags: (c: Command) => Command): void {
  const token = program.command('token').description('Service-account tokens and personal API keys');

  withFlags(token.command('create').description('Mint a token; its value is printed once'))
    .option('--org <org>', 'service-account token: the org (id or name)')
    .option('--service-account <name>', 'service-account token: the account (created when missing)')
    .option('--role <role>', 'role of a newly created service account', 'Viewer')
    .option('--name <name>', 'token name (default: generated)')
    .option('--expires-in <seconds>', 'service-account token lifetime in seconds (default: never)')
    .option('--user <user>', 'personal API key: the owner (login, email or id)')
    .option('--scopes <list>', "personal API key: comma-separated scopes, e.g. 'organization:read,user:read' or '*'")
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, opts: { org?: string; serviceAccount?: string; role: string; name?: string; expiresIn?: string; user?: string; scopes?: string }) => {
        const name = opts.name ?? `cli-${new Date().toISOString().replace(/[-:.TZ]/g, '')}`;
        if (opts.user) {
          if (opts.org || opts.serviceAccount) throw new CliError(EXIT.usage, 'Use either --user or --org/--service-account');
          if (!opts.scopes) throw new CliError(EXIT.usage, '--scopes is required for a personal API key');
          const u = await userArg(cli, opts.user);
          const { key, value } = await createKey(cli.ctx, cliUserPrincipal(u), { label: name, scopes: list(opts.scopes), scopedOrgs: [], scopedTeams: [] });
          return out(
            cli,
            { kind: 'personal-key', id: key.id, label: key.label, user: u.login, scopes: list(opts.scopes), key: value },
            () => `Created personal API key ${key.id} "${key.label}" for "${u.login}"\nKey (shown once): ${value}`,
          );
        }
        if (!opts.org || !opts.serviceAccount) throw new CliError(EXIT.usage, 'Give --org and --service-account, or --user and --scopes');
        const seconds = opts.expiresIn === undefined ? 0 : Number(opts.expiresIn);
        if (!Number.isInteger(seconds) || seconds < 0) throw new CliError(EXIT.usage, '--expires-in must be a whole number of seconds');
        const org = await orgArg(cli, opts.org);
        const p = cliPrincipal(org.id);
        let sa = await serviceAccountNamed(cli, p, opts.serviceAccount);
        const created = !sa;
        sa ??= await createServiceAccount(cli.ctx, p, { name: opts.serviceAccount, role: opts.role });
        const t = await createServiceAccountToken(cli.ctx, p, sa.id, { name, secondsToLive: seconds });
        out(
          cli,
          { kind: 'service-account', id: t.id, name: t.name, orgId: org.id, serviceAccountId: sa.id, serviceAccountCreated: created, key: t.key },
          () =>
            `${created ? `Created service account "${sa.name}" (${sa.role}) in "${org.name}"\n` : ''}` +
            `Created token ${t.id} "${t.name}" for service account "${sa.name}"\nToken (shown once): ${t.key}`,
        );
      }),
    );

  withFlags(token.command('list').description("List an org's service-account tokens or a user's personal API keys (no secrets)"))
    .option('--org <org>', 'the org (id or name)')
    .option('--user <user>', 'the user (login, email or id)')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, opts: { org?: string; user?: string }) => {
        if (!!opts.org === !!opts.user) throw new CliError(EXIT.usage, 'Give exactly one of --org or --user');
        if (opts.user) {
          const keys = await listKeys(cli.ctx, cliUserPrincipal(await userArg(cli, opts.user)));
          const rows = keys.map((k) => ({ id: k.id, label: k.label, mask: k.mask, scopes: k.scopes.join(','), createdAt: k.createdAt, lastUsedAt: k.lastUsedAt }));
          return out(cli, rows, () => table(rows, ['id', 'label', 'mask', 'scopes', 'createdAt', 'lastUsedAt']));
        }
        const org = await orgArg(cli, opts.org!);
        const p = cliPrincipal(org.id);
        const { serviceAccounts } = await searchServiceAccounts(cli.ctx, p, { limit: 1000, offset: 0 });
        const rows: Record<string, unknown>[] = [];
        for (const sa of serviceAccounts) {
          for (const t of await listServiceAccountTokens(cli.ctx, p, sa.id))
            rows.push({ id: t.id, name: t.name, serviceAccount: sa.name, createdAt: t.createdAt, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt });
        }
        out(cli, rows, () => table(rows, ['id', 'name', 'serviceAccount', 'createdAt', 'expiresAt', 'lastUsedAt']));
      }),
    );

  withFlags(token.command('revoke').description('Revoke a service-account token or personal API key by id'))
    .argument('<id>', 'token id (from `token create` or `token list`)')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, ref: string) => {
        const id = positiveInt(ref, 'The token id');
        // Which owner the token has decides which domain rule revokes it.
        const row = await tokenOwner(cli.ctx.db, id);
        if (row?.kind === 'sa' && row.org_id !== null && row.service_account_id !== null) {
          await deleteServiceAccountToken(cli.ctx, cliPrincipal(row.org_id), row.service_account_id, id);
        } else if (row?.kind === 'pak' && row.user_id !== null) {
          await deleteKey(cli.ctx, cliUserPrincipal(await userArg(cli, String(row.user_id))), id);
        } else {
          throw new CliError(EXIT.notFound, `No token ${id}`);
        }
        out(cli, { id, revoked: true }, () => `Revoked token ${id}`);
      }),
    );
}
