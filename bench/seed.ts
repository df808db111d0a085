// Bench-only seeding through the domain layer and the bulk loader: a big org with 1,000 members,
// a service-account token, a personal API key, a Basic user, and a pool of users for the write
// mix. Prints what the runner needs as one JSON line on stdout.
// Usage: ROSTER_DATABASE_URL=... ROSTER_ADMIN_PASSWORD=... node --import tsx bench/seed.ts '<json options>'
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { bootstrap } from '../src/domain/bootstrap.ts';
import { grafanaUid } from '../src/domain/ids.ts';
import { insertOrg } from '../src/domain/orgs.ts';
import { hashPassword, newPersonalApiKey, newServiceAccountToken } from '../src/domain/secrets.ts';
import { openContext } from '../src/app/open-context.ts';
import { bulkAddMembers, bulkSeed, seededLogin } from '../src/cli/bulk-seed.ts';

const opts = {
  members: 1000, // members of the bench org (GET /api/org/users)
  writePool: 6000, // users the write mix adds to and removes from the bench org
  users: 0, // extra users at scale
  orgs: 0,
  memberships: 0,
  password: 'seed-password',
  ...JSON.parse(process.argv[2] ?? '{}'),
};

const config = loadConfig();
const { store, ctx } = await openContext(config);
await bootstrap(ctx, { login: config.adminUser, password: config.adminPassword });

const started = performance.now();
// Bench users first, so their ids are known: [members][write pool][scale users].
const users = opts.members + opts.writePool + opts.users;
const seeded = await bulkSeed(store, {
  users,
  orgs: Math.max(10, opts.orgs),
  // Every user gets at least a home org, so removing one from the bench org never deletes it.
  memberships: Math.max(users, opts.memberships),
  passwordHash: await hashPassword(opts.password),
  onProgress: (phase, done, total) => {
    if (done === total) process.stderr.write(`seeded ${total} ${phase}\n`);
  },
});
const seedMs = performance.now() - started;

const org = await insertOrg(ctx.db, { name: 'Bench Org' });
const memberIds = Array.from({ length: opts.members }, (_, i) => seeded.firstUserId + i);
await bulkAddMembers(store, org.id, memberIds, 'Viewer');
// The Basic user acts in the bench org (its current org) as an Admin.
const basicUserId = memberIds[0];
await ctx.db.updateTable('org_members').set({ role: 'Admin', is_owner: 1 }).where('org_id', '=', org.id).where('user_id', '=', basicUserId).execute();
await ctx.db.updateTable('users').set({ org_id: org.id }).where('id', '=', basicUserId).execute();

const ts = new Date().toISOString();
const sa = await ctx.db
  .insertInto('service_accounts')
  .values({ uid: grafanaUid(), org_id: org.id, name: 'bench', login: 'sa-1-bench', role: 'Admin', created_at: ts, updated_at: ts })
  .returning('id')
  .executeTakeFirstOrThrow();
const saToken = newServiceAccountToken();
await ctx.db
  .insertInto('tokens')
  .values({ kind: 'sa', hash: ctx.hasher.hash(saToken), org_id: org.id, service_account_id: sa.id, name: 'bench', mask: 'glsa_...', created_at: ts })
  .execute();
const personalKey = newPersonalApiKey();
await ctx.db
  .insertInto('tokens')
  .values({ kind: 'pak', hash: ctx.hasher.hash(personalKey), user_id: basicUserId, name: 'bench', mask: personalKey.slice(-4), scopes: '["*"]', created_at: ts })
  .execute();

const count = async (table: 'users' | 'orgs' | 'org_members') =>
  Number(
    (
      await ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
// Real values for the rotating scenarios (bench/wrk/rotating.lua), drawn at random from the rows.
const SAMPLE = 1000;
const logins = await ctx.db
  .selectFrom('users')
  .select('login')
  .where('login', 'like', 'seed%')
  .orderBy(sql`random()`)
  .limit(SAMPLE)
  .execute();
// OnCall and PostHog filter the caller's org: emails of the bench org's members.
const emails = await ctx.db
  .selectFrom('users')
  .innerJoin('org_members', 'org_members.user_id', 'users.id')
  .select('users.email')
  .where('org_members.org_id', '=', org.id)
  .orderBy(sql`random()`)
  .limit(SAMPLE)
  .execute();
// Orgs with at least one member, so every member list is non-empty.
const orgIds = await ctx.db
  .selectFrom('orgs')
  .select('id')
  .where('id', 'in', (eb) => eb.selectFrom('org_members').select('org_id'))
  .orderBy(sql`random()`)
  .limit(SAMPLE)
  .execute();

console.log(
  JSON.stringify({
    samples: { logins: logins.map((r) => r.login), emails: emails.map((r) => r.email), orgIds: orgIds.map((r) => String(r.id)) },
    orgId: org.id,
    orgUuid: org.uuid,
    saToken,
    personalKey,
    basic: [seededLogin(basicUserId), opts.password],
    writePoolFirstId: seeded.firstUserId + opts.members,
    writePool: opts.writePool,
    seedMs: Math.round(seedMs),
    users: await count('users'),
    orgs: await count('orgs'),
    memberships: await count('org_members'),
  }),
);
await store.close();
