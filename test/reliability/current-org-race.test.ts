// A member removal that moves the user's current org to their next org, while that org is being
// deleted: the user's current org ends as one of theirs (or none), never the deleted org. On
// PostgreSQL the two run in concurrent transactions (domain/orgs.ts repairCurrentOrg, deleteOrg).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KIND, startRoster, type TestRoster } from '../helpers/roster.ts';

/** A user in two orgs, `current` (their current org) and `next` (the lower id), by id and uuid. */
interface Mover {
  user: { id: number; uuid: string };
  current: { id: number; uuid: string };
  next: { id: number; uuid: string };
}

/** A request sent in the race and the status its face answers on success. */
type Step = { path: string; status: number };

describe(`current org under a concurrent org deletion (${DB_KIND})`, () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  const uuidOf = async (table: 'orgs' | 'users', id: number) => (await t.roster.ctx.db.selectFrom(table).select('uuid').where('id', '=', id).executeTakeFirstOrThrow()).uuid;

  async function mover(login: string): Promise<Mover> {
    // The next org (lower id) first, then the current one.
    const next = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: `next-of-${login}` } })).body.orgId;
    const current = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: `current-of-${login}` } })).body.orgId;
    const user = (await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, password: 'mover-pw-1', OrgId: current } })).body.id;
    assert.equal((await t.request('POST', `/api/orgs/${next}/users`, { ...t.admin, body: { loginOrEmail: login, role: 'Viewer' } })).status, 200);
    // Read before the race, so both requests leave together.
    const [userUuid, currentUuid, nextUuid] = await Promise.all([uuidOf('users', user), uuidOf('orgs', current), uuidOf('orgs', next)]);
    return { user: { id: user, uuid: userUuid }, current: { id: current, uuid: currentUuid }, next: { id: next, uuid: nextUuid } };
  }

  /** Sends the removal and the deletion at once; then neither membership is left, nor a current org. */
  async function race(round: string, m: Mover, removal: Step, deletion: Step): Promise<void> {
    const [removed, deleted] = await Promise.all([t.request('DELETE', removal.path, t.admin), t.request('DELETE', deletion.path, t.admin)]);
    assert.equal(removed.status, removal.status, `${round}: removal ${removed.text}`);
    assert.equal(deleted.status, deletion.status, `${round}: deletion ${deleted.text}`);
    const u = await t.roster.ctx.db.selectFrom('users').select('org_id').where('id', '=', m.user.id).executeTakeFirstOrThrow();
    const orgs = (await t.roster.ctx.db.selectFrom('org_members').select('org_id').where('user_id', '=', m.user.id).execute()).map((r) => r.org_id);
    assert.deepEqual(orgs, [], `${round}: both memberships gone`);
    assert.equal(u.org_id, 0, `${round}: no current org left (not the deleted ${m.next.id})`);
  }

  const grafanaRemoval = (m: Mover): Step => ({ path: `/api/orgs/${m.current.id}/users/${m.user.id}`, status: 200 });
  const grafanaDeletion = (m: Mover): Step => ({ path: `/api/orgs/${m.next.id}`, status: 200 });
  const postHogRemoval = (m: Mover): Step => ({ path: `/api/organizations/${m.current.uuid}/members/${m.user.uuid}/`, status: 204 });
  const postHogDeletion = (m: Mover): Step => ({ path: `/api/organizations/${m.next.uuid}/`, status: 204 });

  it('removal from the current org and deletion of the next org at once leave no dangling current org', async () => {
    for (let i = 0; i < 40; i++) {
      const m = await mover(`mover-${i}`);
      await race(`round ${i}`, m, grafanaRemoval(m), grafanaDeletion(m));
    }
  });

  it('the same across faces: PostHog removal with Grafana deletion, Grafana removal with PostHog deletion', async () => {
    for (let i = 0; i < 40; i++) {
      const m = await mover(`face-mover-${i}`);
      if (i % 2 === 0) await race(`round ${i}`, m, postHogRemoval(m), grafanaDeletion(m));
      else await race(`round ${i}`, m, grafanaRemoval(m), postHogDeletion(m));
    }
  });
});
