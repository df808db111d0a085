// A write whose statements travel together (src/store/pipelined-transaction.ts) and fails on one
// of them leaves nothing of the others: the audit row and the current-org update issued with a
// refused membership insert are rolled back with it, on both databases.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('a failed write leaves nothing behind', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('adding an existing member again: 409, no second audit row', async () => {
    const created = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'twice', password: 'secret-pw-1' } });
    assert.equal(created.status, 200);
    const org = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Twice Org.' } })).body.orgId;
    const adds = () => t.roster.ctx.db.selectFrom('audit_events').select('id').where('action', '=', 'member.add').where('object_id', '=', `${org}:${created.body.id}`).execute();
    assert.equal((await t.request('POST', `/api/orgs/${org}/users`, { ...t.admin, body: { loginOrEmail: 'twice', role: 'Viewer' } })).status, 200);
    assert.equal((await adds()).length, 1);
    const again = await t.request('POST', `/api/orgs/${org}/users`, { ...t.admin, body: { loginOrEmail: 'twice', role: 'Editor' } });
    assert.equal(again.status, 409);
    assert.equal((await adds()).length, 1);
    const role = await t.roster.ctx.db.selectFrom('org_members').select('role').where('org_id', '=', org).where('user_id', '=', created.body.id).executeTakeFirst();
    assert.equal(role?.role, 'Viewer');
  });
});
