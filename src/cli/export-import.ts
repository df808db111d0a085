// `roster export org <id>` and `roster import <file>`: one org as one JSON document.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { action, CliError, EXIT, out, progress } from './context.ts';
import { orgArg } from './orgs.ts';
import { exportOrg, parseArchive } from './org-archive.ts';
import { importOrg } from './import-org.ts';

export function exportImportCommands(program: Command, withFlags: (c: Command) => Command): void {
  const exp = program.command('export').description('Export data as JSON');
  withFlags(exp.command('org').description('Export an org (settings, members, teams, service accounts, token and webhook metadata; never secrets)'))
    .argument('<org>', 'id or name')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(
      action(async (cli, ref: string, opts: { output?: string }) => {
        const archive = await exportOrg(cli, await orgArg(cli, ref));
        const text = JSON.stringify(archive, null, 2) + '\n';
        if (!opts.output) return void process.stdout.write(text);
        writeFileSync(opts.output, text);
        console.error(`Exported org "${archive.org.name}" to ${opts.output}`);
      }),
    );

  withFlags(program.command('import').description('Recreate an exported org (refused when its name or a member clashes)'))
    .argument('<file>', 'a file written by `roster export org` (- for stdin)')
    .option('--name <name>', 'import under this org name instead')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, file: string, opts: { name?: string }) => {
        let data: unknown;
        try {
          data = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
        } catch (err) {
          throw new CliError(EXIT.usage, `Cannot read ${file}: ${(err as Error).message}`);
        }
        const archive = parseArchive(data);
        if (opts.name) archive.org.name = opts.name;
        const r = await importOrg(cli, archive, (done, total) => progress('Importing', done, total));
        out(
          cli,
          r,
          () =>
            `Imported org "${r.name}" (id ${r.orgId}): ${r.members} member(s), ${r.teams} team(s), ${r.serviceAccounts} service account(s)` +
            (r.usersCreated.length ? `\nCreated users without a password (set one with \`roster user passwd\`): ${r.usersCreated.join(', ')}` : '') +
            (r.tokensNotRecreated ? `\n${r.tokensNotRecreated} token(s) not recreated: secrets are never exported; mint new ones with \`roster token create\`` : '') +
            (r.webhooksNotRecreated ? `\n${r.webhooksNotRecreated} webhook(s) not recreated: their signing secrets are never exported; register them again (API or console)` : ''),
        );
      }),
    );
}
