// `roster org create|list|delete|members`: org administration through the domain.
import type { Command } from 'commander';
import { createOrg, deleteOrg, findOrg, getOrgByName, searchOrgs, type ListedOrg, type Org } from '../domain/orgs.ts';
import { addMember, listMembers, removeMember, updateMemberRole } from '../domain/members.ts';
import { isDomainError } from '../domain/errors.ts';
import { action, cliPrincipal, CliError, EXIT, out, positiveInt, table, type CliContext } from './context.ts';
import { userArg } from './users.ts';

/** An org by numeric id or exact name; exit 2 when none. */
export async function orgArg(cli: CliContext, ref: string): Promise<Org> {
  let org: Org | undefined;
  if (/^\d+$/.test(ref)) org = await findOrg(cli.ctx.db, Number(ref));
  else {
    try {
      org = await getOrgByName(cli.ctx, ref);
    } catch (err) {
      if (!isDomainError(err)) throw err;
    }
  }
  if (!org) throw new CliError(EXIT.notFound, `No org "${ref}"`);
  return org;
}

const view = (o: ListedOrg) => ({ id: o.id, name: o.name, slug: o.slug, createdAt: o.created_at });

export function orgCommands(program: Command, withFlags: (c: Command) => Command): void {
  const org = program.command('org').description('Manage organizations');

  withFlags(org.command('create').description('Create an org (optionally with a first Admin)'))
    .argument('<name>', 'name of the new org')
    .option('--admin <user>', 'login, email or id of a user to add as Admin (and owner)')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, name: string, opts: { admin?: string }) => {
        const admin = opts.admin ? await userArg(cli, opts.admin) : undefined;
        const o = await createOrg(cli.ctx, cliPrincipal(), { name });
        if (admin) await addMember(cli.ctx, cliPrincipal(o.id), o.id, { loginOrEmail: admin.login, role: 'Admin' });
        out(cli, view(o), () => `Created org "${o.name}" (id ${o.id})${admin ? ` with Admin "${admin.login}"` : ''}`);
      }),
    );

  withFlags(org.command('list').description('List orgs'))
    .option('--query <prefix>', 'name prefix')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, opts: { query?: string; limit: string }) => {
        const limit = positiveInt(opts.limit, '--limit');
        const rows = (await searchOrgs(cli.ctx, cliPrincipal(), { query: opts.query, limit, offset: 0 })).map(view);
        out(cli, rows, () => table(rows, ['id', 'name', 'slug', 'createdAt']));
      }),
    );

  withFlags(org.command('delete').description('Delete an org with its memberships, teams and tokens'))
    .argument('<org>', 'id or name')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, ref: string) => {
        const o = await orgArg(cli, ref);
        await deleteOrg(cli.ctx, cliPrincipal(), o.id);
        out(cli, { id: o.id, name: o.name, deleted: true }, () => `Deleted org "${o.name}" (id ${o.id})`);
      }),
    );

  withFlags(org.command('members').description("List an org's members, or add, re-role or remove one"))
    .argument('<org>', 'id or name')
    .option('--add <user>', 'add this user (login, email or id)')
    .option('--set-role <user>', "change this member's role")
    .option('--remove <user>', 'remove this member')
    .option('--role <role>', 'Admin, Editor, Viewer or None (with --add / --set-role)', 'Viewer')
    .option('--json', 'machine-readable output')
    .action(
      action(async (cli, ref: string, opts: { add?: string; setRole?: string; remove?: string; role: string }) => {
        const o = await orgArg(cli, ref);
        const p = cliPrincipal(o.id);
        if ([opts.add, opts.setRole, opts.remove].filter(Boolean).length > 1) throw new CliError(EXIT.usage, 'Use one of --add, --set-role, --remove');
        if (opts.add) {
          const u = await userArg(cli, opts.add);
          await addMember(cli.ctx, p, o.id, { loginOrEmail: u.login, role: opts.role });
          return out(cli, { orgId: o.id, userId: u.id, login: u.login, role: opts.role }, () => `Added "${u.login}" to "${o.name}" as ${opts.role}`);
        }
        if (opts.setRole) {
          const u = await userArg(cli, opts.setRole);
          await updateMemberRole(cli.ctx, p, o.id, u.id, opts.role);
          return out(cli, { orgId: o.id, userId: u.id, login: u.login, role: opts.role }, () => `"${u.login}" is now ${opts.role} in "${o.name}"`);
        }
        if (opts.remove) {
          const u = await userArg(cli, opts.remove);
          await removeMember(cli.ctx, p, o.id, u.id);
          return out(cli, { orgId: o.id, userId: u.id, login: u.login, removed: true }, () => `Removed "${u.login}" from "${o.name}"`);
        }
        const { members } = await listMembers(cli.ctx, p, o.id, { sort: [{ key: 'login', desc: false }] });
        const rows = members.map((m) => ({ userId: m.userId, login: m.login, email: m.email, name: m.name, role: m.role, isOwner: m.isOwner, isDisabled: m.isDisabled }));
        out(cli, rows, () => table(rows, ['userId', 'login', 'email', 'role', 'isOwner', 'isDisabled']));
      }),
    );
}
