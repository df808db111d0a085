// A member removal that moves the user's current org to their next org, while that org is being
// deleted: the user's current org ends as one of theirs (or none), never the deleted org. On
// PostgreSQL the two run in concurrent transactions (domain/orgs.ts repairCurrentOrg, deleteOrg).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KIND, startRoster, type TestRoster } from '../helpers/roster.ts';

describe(`current org under a concurrent org deletion (${DB_KIND})`, () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('removal from the current org and deletion of the next org at once leave no dangling current org', async () => {
    for (let i = 0; i < 40; i++) {
      // The next org (lower id) first, then the current one.
      const next = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: `next-${i}` } })).body.orgId;
      const current = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: `current-${i}` } })).body.orgId;
      const user = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: `mover-${i}`, password: 'mover-pw-1', OrgId: current } })).body.id;
      assert.equal((await t.request('POST', `/api/orgs/${next}/users`, { ...t.admin, body: { loginOrEmail: `mover-${i}`, role: 'Viewer' } })).status, 200);
      const [removed, deleted] = await Promise.all([t.request('DELETE', `/api/orgs/${current}/users/${user}`, t.admin), t.request('DELETE', `/api/orgs/${next}`, t.admin)]);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      const u = await t.roster.ctx.db.selectFrom('users').select('org_id').where('id', '=', user).executeTakeFirstOrThrow();
      const orgs = (await t.roster.ctx.db.selectFrom('org_members').select('org_id').where('user_id', '=', user).execute()).map((m) => m.org_id);
      assert.deepEqual(orgs, [], `round ${i}: both memberships gone`);
      assert.equal(u.org_id, 0, `round ${i}: no current org left (not the deleted ${next})`);
    }
  });

  it('the same across faces: PostHog removal with Grafana deletion, Grafana removal with PostHog deletion', async () => {
    const uuidOf = async (table: 'orgs' | 'users', id: number) => (await t.roster.ctx.db.selectFrom(table).select('uuid').where('id', '=', id).executeTakeFirstOrThrow()).uuid;
    for (let i = 0; i < 40; i++) {
      const next = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: `face-next-${i}` } })).body.orgId;
      const current = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: `face-current-${i}` } })).body.orgId;
      const user = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: `face-mover-${i}`, password: 'mover-pw-1', OrgId: current } })).body.id;
      assert.equal((await t.request('POST', `/api/orgs/${next}/users`, { ...t.admin, body: { loginOrEmail: `face-mover-${i}`, role: 'Viewer' } })).status, 200);
      // Both requests leave together: the uuids are read first.
      const [currentUuid, nextUuid, userUuid] = await Promise.all([uuidOf('orgs', current), uuidOf('orgs', next), uuidOf('users', user)]);
      const postHogRemoves = i % 2 === 0;
      const removal = postHogRemoves ? (['DELETE', `/api/organizations/${currentUuid}/members/${userUuid}/`] as const) : (['DELETE', `/api/orgs/${current}/users/${user}`] as const);
      const deletion = postHogRemoves ? (['DELETE', `/api/orgs/${next}`] as const) : (['DELETE', `/api/organizations/${nextUuid}/`] as const);
      const [removed, deleted] = await Promise.all([t.request(removal[0], removal[1], t.admin), t.request(deletion[0], deletion[1], t.admin)]);
      assert.ok(removed.status === 200 || removed.status === 204, `round ${i}: removal ${removed.status} ${removed.text}`);
      assert.ok(deleted.status === 200 || deleted.status === 204, `round ${i}: deletion ${deleted.status} ${deleted.text}`);
      const u = await t.roster.ctx.db.selectFrom('users').select('org_id').where('id', '=', user).executeTakeFirstOrThrow();
      const orgs = (await t.roster.ctx.db.selectFrom('org_members').select('org_id').where('user_id', '=', user).execute()).map((m) => m.org_id);
      assert.deepEqual(orgs, [], `round ${i}: both memberships gone`);
      assert.equal(u.org_id, 0, `round ${i}: no current org left (not the deleted ${next})`);
    }
  });
});
