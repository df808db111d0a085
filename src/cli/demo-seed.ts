// `roster seed demo`: a few orgs, users and teams to look at. Refused (exit 3) when any of the
// demo orgs or users already exists, so it never mixes with real data or runs twice.
import type { Command } from 'commander';
import { createOrg } from '../domain/orgs.ts';
import { addMember } from '../domain/members.ts';
import { createUser, findUserByLoginOrEmail } from '../domain/users.ts';
import { createTeam } from '../domain/teams.ts';
import { addTeamMember } from '../domain/team-members.ts';
import { TEAM_ADMIN, TEAM_MEMBER } from '../domain/policy/index.ts';
import type { Role } from '../role-names.ts';
import { action, cliPrincipal, CliError, EXIT, out, progress } from './context.ts';
import { orgWith } from '../store/orgs.ts';

const USERS = [
  { login: 'alice', name: 'Alice Archer' },
  { login: 'bob', name: 'Bob Baker' },
  { login: 'carol', name: 'Carol Chen' },
  { login: 'dave', name: 'Dave Diaz' },
  { login: 'erin', name: 'Erin Evans' },
];

const ORGS: { name: string; members: [string, Role][]; teams: { name: string; members: [string, number][] }[] }[] = [
  {
    name: 'Acme Corp',
    members: [
      ['alice', 'Admin'],
      ['bob', 'Editor'],
      ['carol', 'Viewer'],
    ],
    teams: [
      {
        name: 'Platform',
        members: [
          ['alice', TEAM_ADMIN],
          ['bob', TEAM_MEMBER],
        ],
      },
      { name: 'Support', members: [['carol', TEAM_MEMBER]] },
    ],
  },
  {
    name: 'Globex',
    members: [
      ['dave', 'Admin'],
      ['erin', 'Editor'],
      ['alice', 'Viewer'],
    ],
    teams: [
      {
        name: 'SRE',
        members: [
          ['dave', TEAM_ADMIN],
          ['erin', TEAM_MEMBER],
        ],
      },
    ],
  },
  {
    name: 'Initech',
    members: [
      ['erin', 'Admin'],
      ['bob', 'Viewer'],
    ],
    teams: [{ name: 'TPS Reports', members: [['bob', TEAM_MEMBER]] }],
  },
];

export function demoSeedCommand(seed: Command, withFlags: (c: Command) => Command): void {
  withFlags(seed.command('demo').description('Create a few demo orgs, users and teams (refused when present)'))
    .option('--password <password>', 'the password of every demo user', 'demo-password')
    .option('--json', 'machine-readable output')
    .action(
      action(
        async (cli, opts: { password: string }) => {
          for (const o of ORGS) {
            if (await orgWith(cli.ctx.db, 'name', o.name)) {
              throw new CliError(EXIT.conflict, `Demo data already present (org "${o.name}" exists)`);
            }
          }
          for (const u of USERS) {
            if (await findUserByLoginOrEmail(cli.ctx.db, u.login)) throw new CliError(EXIT.conflict, `Demo data already present (user "${u.login}" exists)`);
          }
          const total = USERS.length + ORGS.length;
          let done = 0;
          const ids = new Map<string, number>();
          for (const u of USERS) {
            const user = await createUser(cli.ctx, cliPrincipal(), { login: u.login, email: `${u.login}@example.com`, name: u.name, password: opts.password });
            ids.set(u.login, user.id);
            progress('Seeding demo', ++done, total);
          }
          const orgs: { id: number; name: string }[] = [];
          for (const o of ORGS) {
            const org = await createOrg(cli.ctx, cliPrincipal(), { name: o.name });
            const p = cliPrincipal(org.id);
            for (const [login, role] of o.members) await addMember(cli.ctx, p, org.id, { loginOrEmail: login, role });
            for (const t of o.teams) {
              const team = await createTeam(cli.ctx, p, { name: t.name });
              for (const [login, perm] of t.members) await addTeamMember(cli.ctx, p, team.id, ids.get(login)!, perm);
            }
            orgs.push({ id: org.id, name: org.name });
            progress('Seeding demo', ++done, total);
          }
          out(
            cli,
            { orgs, users: USERS.map((u) => u.login), password: opts.password },
            () => `Created ${orgs.length} orgs (${orgs.map((o) => o.name).join(', ')}) and ${USERS.length} users (${USERS.map((u) => u.login).join(', ')}); password "${opts.password}"`,
          );
          // A seed, like `seed`: it may create the database (README's quick start runs it first).
        },
        { mayCreate: true },
      ),
    );
}
