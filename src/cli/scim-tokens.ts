// `roster scim-token create|list|revoke`: an org's SCIM tokens (docs/scim.md). A new token's value
// is printed once (`{"token": "..."}` with --json); only its hash is stored.
import type { Command } from 'commander';
import { createScimToken, listScimTokens, revokeScimToken } from '../domain/scim-tokens.ts';
import { scimTokenOrg } from '../store/scim.ts';
import { action, cliPrincipal, CliError, EXIT, out, positiveInt, table } from './context.ts';
import { orgArg } from './orgs.ts';

export function scimTokenCommands(program: Command, withFlags: (c: Command) => Command): void {
  const cmd = program.command('scim-token').description("SCIM tokens: an identity provider's credential for provisioning one org");

  withFlags(cmd.command('create').description('Mint a SCIM token for an org; its value is printed once'))
    .requiredOption('--org <org>', 'the org (id or name)')
    .option('--name <name>', 'token name', 'SCIM')
    .option('--json', 'machine-readable output: {"token": "..."}')
    .action(
      action(async (cli, opts: { org: string; name: string }) => {
        const org = await orgArg(cli, opts.org);
        const { token, value } = await createScimToken(cli.ctx, cliPrincipal(org.id), org.id, { name: opts.name });
        out(cli, { token: value, id: token.id, orgId: org.id, name: token.name }, () => `Created SCIM token ${token.id} "${token.name}" for "${org.name}"\nToken (shown once): ${value}`);
      }),
    );

  withFlags(cmd.command('list').description("List an org's SCIM tokens (no secrets)"))
    .requiredOption('--org <org>', 'the org (id or name)')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, opts: { org: string }) => {
        const org = await orgArg(cli, opts.org);
        const rows = await listScimTokens(cli.ctx, cliPrincipal(org.id), org.id);
        out(cli, rows, () => table(rows as unknown as Record<string, unknown>[], ['id', 'name', 'mask', 'createdAt', 'lastUsedAt', 'revokedAt']));
      }),
    );

  withFlags(cmd.command('revoke').description('Revoke a SCIM token by id: it is refused from then on'))
    .argument('<id>', 'token id (from `scim-token create` or `scim-token list`)')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, ref: string) => {
        const id = positiveInt(ref, 'The token id');
        const orgId = await scimTokenOrg(cli.ctx.db, id);
        if (orgId === undefined) throw new CliError(EXIT.notFound, `No SCIM token ${id}`);
        await revokeScimToken(cli.ctx, cliPrincipal(orgId), orgId, id);
        out(cli, { id, revoked: true }, () => `Revoked SCIM token ${id}`);
      }),
    );
}
