// docs/compat/grafana.md#the-signed-in-user: help flags, GET /api/user for a service account's
// token, and the email confirmation link dropping what the memos hold.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';
import { linkCode, TestSmtp } from '../helpers/smtp.ts';

describe('Grafana signed-in user: help flags, service accounts, email confirmation', () => {
  let t: TestRoster;
  let ann: Creds;
  let annId: number;
  let token: string;
  let saId: number;
  const smtp = new TestSmtp();

  before(async () => {
    await smtp.start();
    t = await startRoster({ ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: 'Roster <roster@example.com>' });
    const u = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'ann', email: 'ann@example.com', password: 'ann-password' } });
    annId = u.body.id;
    ann = { basic: ['ann', 'ann-password'] };
    const sa = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'Deploy Bot', role: 'Editor' } });
    assert.equal(sa.status, 201, sa.text);
    saId = sa.body.id;
    token = (await t.request('POST', `/api/serviceaccounts/${saId}/tokens`, { ...t.admin, body: { name: 'ci' } })).body.key;
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  const flags = async (creds: Creds) => (await t.request('GET', '/api/user', creds)).body.helpFlags1;

  it('PUT /api/user/helpflags/:id ORs the id into helpFlags1, shown by GET /api/user; clear empties it', async () => {
    assert.equal(await flags(ann), 0);
    let r = await t.request('PUT', '/api/user/helpflags/1', ann);
    assert.deepEqual([r.status, r.body], [200, { message: 'Help flag set', helpFlags1: 1 }]);
    r = await t.request('PUT', '/api/user/helpflags/4', ann);
    assert.deepEqual(r.body, { message: 'Help flag set', helpFlags1: 5 });
    r = await t.request('PUT', '/api/user/helpflags/5', ann);
    assert.equal(r.body.helpFlags1, 5, 'bits already set stay set');
    assert.equal(await flags(ann), 5);
    assert.equal(await flags(t.admin), 0, 'another user’s flags are their own');
    r = await t.request('GET', '/api/user/helpflags/clear', ann);
    assert.deepEqual([r.status, r.body], [200, { message: 'Help flag set', helpFlags1: 0 }]);
    assert.equal(await flags(ann), 0);
    // Setting bits already set (5 over 5) changes nothing and so records nothing.
    const audited = await t.roster.ctx.db.selectFrom('audit_events').select('action').where('action', 'like', 'user.help-flags.%').execute();
    assert.equal(audited.length, 3);
  });

  it('a help flag id that is not a number (or too large for the mask) is 400 "id is invalid", nothing changed', async () => {
    await t.request('PUT', '/api/user/helpflags/2', ann);
    for (const id of ['abc', '-1', '1.5', '2147483648', '99999999999999999999']) {
      const r = await t.request('PUT', `/api/user/helpflags/${id}`, ann);
      assert.deepEqual([r.status, r.body], [400, { message: 'id is invalid' }], id);
    }
    assert.equal(await flags(ann), 2);
    assert.equal((await t.request('PUT', '/api/user/helpflags/1')).status, 401);
  });

  it('GET /api/user with a service account token answers the account’s own profile (GetSignedInUser)', async () => {
    const r = await t.request('GET', '/api/user', { bearer: token });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, {
      id: 0,
      uid: `service-account:${saId}`,
      email: 'sa-1-deploy-bot',
      name: 'Deploy Bot',
      login: 'sa-1-deploy-bot',
      theme: '',
      orgId: 1,
      isGrafanaAdmin: false,
      isDisabled: false,
      isExternal: false,
      isExternallySynced: false,
      isGrafanaAdminExternallySynced: false,
      authLabels: [],
      updatedAt: '0001-01-01T00:00:00Z',
      createdAt: '0001-01-01T00:00:00Z',
      avatarUrl: '',
      isProvisioned: false,
    });
    // The other user-only endpoints keep their answers for a token.
    for (const [method, url] of [
      ['GET', '/api/user/orgs'],
      ['PUT', '/api/user/helpflags/1'],
      ['GET', '/api/user/helpflags/clear'],
    ] as const) {
      const o = await t.request(method, url, { bearer: token });
      assert.deepEqual([o.status, o.body.message], [403, 'Endpoint only available for users'], url);
    }
  });

  it('following the email confirmation link drops the memos: a memoized member list shows the new address at once', async () => {
    const r = await t.request('PUT', '/api/user', { ...ann, body: { email: 'ann.new@example.com' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Email sent for verification' }]);
    const { path } = linkCode(await smtp.waitFor('ann.new@example.com'));
    // Asked twice after the last write: the memo keeps the second answer (http/memo/response-memo.ts).
    await t.request('GET', '/api/org/users', t.admin);
    const before = await t.request('GET', '/api/org/users', t.admin);
    assert.equal(before.body.find((u: any) => u.userId === annId).email, 'ann@example.com');
    const follow = await t.request('GET', path, ann);
    assert.equal(follow.status, 302);
    const after = await t.request('GET', '/api/org/users', t.admin);
    assert.equal(after.body.find((u: any) => u.userId === annId).email, 'ann.new@example.com');
  });
});
