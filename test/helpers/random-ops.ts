// Random org, membership, user, team and service-account operations for the invariant property
// tests: fast-check generates them, `runOp` sends each through the Grafana face to whichever
// server (in-process or a separate process) the test chooses.
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.ts';
import type { Creds } from './roster.ts';

const ROLES = ['Admin', 'Editor', 'Viewer', 'None', 'admin'] as const;
type RoleInput = (typeof ROLES)[number];

export type Op =
  | { op: 'createOrg'; name: number }
  | { op: 'deleteOrg'; org: number }
  | { op: 'renameOrg'; org: number; name: number }
  | { op: 'add'; org: number; user: number; role: RoleInput }
  | { op: 'role'; org: number; user: number; role: RoleInput }
  | { op: 'remove'; org: number; user: number; current: boolean }
  | { op: 'createUser'; user: number }
  | { op: 'deleteUser'; user: number }
  | { op: 'createTeam'; org: number; name: number }
  | { op: 'addTeamMember'; team: number; user: number }
  | { op: 'removeTeamMember'; team: number; user: number }
  | { op: 'deleteTeam'; team: number }
  | { op: 'createServiceAccount'; org: number; name: number; role: RoleInput }
  | { op: 'deleteServiceAccount'; sa: number };

/** Small indexes, mapped onto the rows that exist when a batch starts (see `resolve`). */
const small = fc.integer({ min: 0, max: 5 });
const role = fc.constantFrom(...ROLES);

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('createOrg' as const), name: small }),
  fc.record({ op: fc.constant('deleteOrg' as const), org: small }),
  fc.record({ op: fc.constant('renameOrg' as const), org: small, name: small }),
  fc.record({ op: fc.constant('add' as const), org: small, user: small, role }),
  fc.record({ op: fc.constant('role' as const), org: small, user: small, role }),
  fc.record({ op: fc.constant('remove' as const), org: small, user: small, current: fc.boolean() }),
  fc.record({ op: fc.constant('createUser' as const), user: small }),
  fc.record({ op: fc.constant('deleteUser' as const), user: small }),
  fc.record({ op: fc.constant('createTeam' as const), org: small, name: small }),
  fc.record({ op: fc.constant('addTeamMember' as const), team: small, user: small }),
  fc.record({ op: fc.constant('removeTeamMember' as const), team: small, user: small }),
  fc.record({ op: fc.constant('deleteTeam' as const), team: small }),
  fc.record({ op: fc.constant('createServiceAccount' as const), org: small, name: small, role }),
  fc.record({ op: fc.constant('deleteServiceAccount' as const), sa: small }),
);

/** Batches of operations: each batch runs concurrently, batches one after another. */
export const batchesArb = (maxOps: number, maxBatches: number) => fc.array(fc.array(opArb, { minLength: 1, maxLength: maxOps }), { minLength: 1, maxLength: maxBatches });

/** The rows operations can hit, read before a batch. */
export interface Known {
  orgs: number[];
  users: { id: number; login: string }[];
  teams: { id: number; orgId: number }[];
  serviceAccounts: { id: number; orgId: number }[];
  members: { orgId: number; userId: number }[];
}

export async function knownRows(db: Kysely<Database>): Promise<Known> {
  return {
    orgs: (await db.selectFrom('orgs').select('id').orderBy('id').execute()).map((r) => r.id),
    users: await db.selectFrom('users').select(['id', 'login']).orderBy('id').execute(),
    teams: await db.selectFrom('teams').select(['id', 'org_id as orgId']).orderBy('id').execute(),
    serviceAccounts: await db.selectFrom('service_accounts').select(['id', 'org_id as orgId']).orderBy('id').execute(),
    members: await db.selectFrom('org_members').select(['org_id as orgId', 'user_id as userId']).orderBy('user_id').execute(),
  };
}

export type Send = (method: string, url: string, opts?: Creds & { body?: unknown }) => Promise<{ status: number; body?: unknown }>;

/** A missing row still gets a request (with an id that never exists): refusals are tested too. */
const MISSING = 999_999;
/** Counted from the newest row: the oldest users are soon members everywhere, so adding them teaches little. */
const pick = <T>(rows: T[], i: number): T | undefined => rows[rows.length - 1 - (i % Math.max(rows.length, 1))];

/** Sends one operation as the server admin; the replies, in order (creating a service account also mints a token). */
export async function runOp(send: Send, admin: Creds, o: Op, known: Known): Promise<{ status: number; body?: unknown }[]> {
  const org = 'org' in o ? (pick(known.orgs, o.org) ?? MISSING) : 0;
  const user = 'user' in o ? pick(known.users, o.user) : undefined;
  const team = 'team' in o ? (pick(known.teams, o.team) ?? { id: MISSING, orgId: MISSING }) : undefined;
  // Role changes, removals and team operations mostly concern members of the org in question.
  const memberOf = (orgId: number) =>
    'user' in o
      ? (pick(
          known.members.filter((m) => m.orgId === orgId),
          o.user,
        )?.userId ?? MISSING)
      : MISSING;
  const userId = o.op === 'role' || o.op === 'remove' ? memberOf(org) : team ? memberOf(team.orgId) : (user?.id ?? MISSING);
  const inOrg = (id: number) => ({ ...admin, headers: { 'x-grafana-org-id': String(id) } });
  switch (o.op) {
    case 'createOrg':
      return [await send('POST', '/api/orgs', { ...admin, body: { name: `org-${o.name}` } })];
    case 'deleteOrg':
      return [await send('DELETE', `/api/orgs/${org}`, admin)];
    case 'renameOrg':
      return [await send('PUT', `/api/orgs/${org}`, { ...admin, body: { name: `org-${o.name}` } })];
    case 'add':
      return [await send('POST', `/api/orgs/${org}/users`, { ...admin, body: { loginOrEmail: user?.login ?? 'nobody', role: o.role } })];
    case 'role':
      return [await send('PATCH', `/api/orgs/${org}/users/${userId}`, { ...admin, body: { role: o.role } })];
    case 'remove':
      return [o.current ? await send('DELETE', `/api/org/users/${userId}`, inOrg(org)) : await send('DELETE', `/api/orgs/${org}/users/${userId}`, admin)];
    case 'createUser': {
      const login = `u${o.user}-${Math.random().toString(36).slice(2, 6)}`;
      return [await send('POST', '/api/admin/users', { ...admin, body: { login, password: 'secret-pw', OrgId: pick(known.orgs, o.user) } })];
    }
    case 'deleteUser':
      // Never the admin who drives the test.
      return [await send('DELETE', `/api/admin/users/${userId === 1 ? MISSING : userId}`, admin)];
    case 'createTeam':
      return [await send('POST', '/api/teams', { ...inOrg(org), body: { name: `team-${o.name}` } })];
    case 'addTeamMember':
      return [await send('POST', `/api/teams/${team!.id}/members`, { ...inOrg(team!.orgId), body: { userId } })];
    case 'removeTeamMember':
      return [await send('DELETE', `/api/teams/${team!.id}/members/${userId}`, inOrg(team!.orgId))];
    case 'deleteTeam':
      return [await send('DELETE', `/api/teams/${team!.id}`, inOrg(team!.orgId))];
    case 'createServiceAccount': {
      const sa = await send('POST', '/api/serviceaccounts', { ...inOrg(org), body: { name: `sa-${o.name}`, role: o.role } });
      if (sa.status !== 201) return [sa];
      const id = (sa.body as { id: number }).id;
      return [sa, await send('POST', `/api/serviceaccounts/${id}/tokens`, { ...inOrg(org), body: { name: 'ci' } })];
    }
    case 'deleteServiceAccount': {
      const sa = pick(known.serviceAccounts, o.sa) ?? { id: MISSING, orgId: MISSING };
      return [await send('DELETE', `/api/serviceaccounts/${sa.id}`, inOrg(sa.orgId))];
    }
  }
}

/** Counts replies by status, and successes by operation, to show the operations mostly did something. */
export class StatusTally {
  readonly counts = new Map<number, number>();
  readonly succeeded = new Map<Op['op'], number>();
  ops = 0;
  add(o: Op, replies: { status: number }[]): void {
    this.ops++;
    for (const r of replies) this.counts.set(r.status, (this.counts.get(r.status) ?? 0) + 1);
    if (replies.every((r) => r.status >= 200 && r.status < 300)) this.succeeded.set(o.op, (this.succeeded.get(o.op) ?? 0) + 1);
  }
  get successes(): number {
    return [...this.succeeded.values()].reduce((n, c) => n + c, 0);
  }
  toString(): string {
    const statuses = JSON.stringify(Object.fromEntries([...this.counts].sort(([a], [b]) => a - b)));
    return `${this.ops} operations; statuses ${statuses}; succeeded ${JSON.stringify(Object.fromEntries(this.succeeded))}`;
  }
}
