// Every change is recorded once, with who, through which face, what, before/after and request
// id; readable by server admins and by org Admins for their own org only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('audit trail', () => {
  let t: TestRoster;
  let org: number;
  let user: number;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  const events = async (query: string, creds = t.admin) => (await t.request('GET', `/api/roster/v1/audit${query}`, creds)).body.events as any[];

  it('records an org create and a rename once each, with actor, face, request id, before and after', async () => {
    const created = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Audited' }, headers: { 'x-request-id': 'req-create-1' } });
    org = created.body.orgId;
    await t.request('PUT', `/api/orgs/${org}`, { ...t.admin, body: { name: 'Audited 2' } });
    const orgEvents = await events(`?objectType=org&objectId=${org}`);
    assert.deepEqual(
      orgEvents.map((e) => e.action),
      ['org.rename', 'org.create'],
    );
    const [rename, create] = orgEvents;
    assert.equal(create.requestId, 'req-create-1');
    assert.deepEqual(create.actor, { kind: 'user', userId: 1, serviceAccountId: null, tokenId: null, login: 'admin' });
    assert.equal(create.face, 'grafana');
    assert.equal(rename.before.name, 'Audited');
    assert.equal(rename.after.name, 'Audited 2');
  });

  it('a refused change records nothing', async () => {
    const count = async () => Number((await sql<{ n: number }>`select count(*) as n from audit_events`.execute(t.roster.ctx.db)).rows[0].n);
    const n = await count();
    assert.equal((await t.request('PUT', `/api/orgs/${org}`, { ...t.admin, body: { name: 'Main Org.' } })).status, 400);
    assert.equal((await t.request('DELETE', '/api/org/users/1', t.admin)).status, 400);
    assert.equal(await count(), n);
  });

  it('membership, role and user changes are recorded with their face', async () => {
    user = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'aud', password: 'secret-pw' } })).body.id;
    await t.request('POST', `/api/orgs/${org}/users`, { ...t.admin, body: { loginOrEmail: 'aud', role: 'Viewer' } });
    await t.request('PATCH', `/api/orgs/${org}/users/${user}`, { ...t.admin, body: { role: 'Admin' } });
    const memberEvents = await events(`?objectType=member&objectId=${org}:${user}`);
    assert.deepEqual(
      memberEvents.map((e) => e.action),
      ['member.role.update', 'member.add'],
    );
    assert.deepEqual([memberEvents[0].before.role, memberEvents[0].after.role], ['Viewer', 'Admin']);
    const userEvents = await events(`?objectType=user&objectId=${user}`);
    assert.deepEqual(
      userEvents.map((e) => e.action),
      ['user.create'],
    );
    await t.request('PATCH', `/api/roster/v1/users/${user}/contact`, { ...t.admin, body: { timezone: 'Europe/Paris' } });
  });

  it('org Admins read only their org; plain members are refused', async () => {
    const aud = { basic: ['aud', 'secret-pw'] as [string, string] };
    const mine = await t.request('GET', `/api/roster/v1/audit?orgId=${org}`, aud);
    assert.equal(mine.status, 200);
    assert.ok(mine.body.events.length >= 3);
    assert.ok(mine.body.events.every((e: any) => e.orgId === org));
    assert.equal((await t.request('GET', '/api/roster/v1/audit?orgId=1', aud)).status, 403);
    assert.equal((await t.request('GET', '/api/roster/v1/audit', aud)).status, 403, 'their current org is Main Org., where they are a Viewer');
  });

  it('pages newest first with a cursor', async () => {
    const first = await t.request('GET', '/api/roster/v1/audit?limit=2', t.admin);
    assert.equal(first.body.events.length, 2);
    const second = await t.request('GET', `/api/roster/v1/audit?limit=2&before=${first.body.next}`, t.admin);
    assert.ok(second.body.events[0].id < first.body.events[1].id);
    assert.equal((await t.request('GET', '/api/roster/v1/audit?limit=0', t.admin)).status, 400);
  });

  it('never stores a password or token in the clear', async () => {
    await t.request('PUT', `/api/admin/users/${user}/password`, { ...t.admin, body: { password: 'Sup3rSecretPw' } });
    const sa = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'bot', role: 'Viewer' } });
    const token = (await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...t.admin, body: { name: 'k' } })).body.key as string;
    const login = await t.request('POST', '/login', { body: { user: 'aud', password: 'Sup3rSecretPw' } });
    const session = String(login.headers['set-cookie']).split(';')[0].split('=')[1];
    const dump = JSON.stringify(
      await Promise.all(
        ['audit_events', 'users', 'tokens', 'sessions', 'login_attempts'].map((table) =>
          t.roster.ctx.db
            .selectFrom(table as any)
            .selectAll()
            .execute(),
        ),
      ),
    );
    for (const secret of ['Sup3rSecretPw', 'secret"', token, token.slice(5, 37), decodeURIComponent(session)]) {
      assert.ok(!dump.includes(secret), `the database holds no ${secret.slice(0, 6)}...`);
    }
    const saEvents = await events('?objectType=token');
    assert.equal(saEvents[0].action, 'token.create');
  });
});
