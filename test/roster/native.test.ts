// Roster's native API: user contact details and org settings, who may do what, bad input.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { makeOrg, makeToken, makeUser, orgPublicId, publicIdOf } from '../oncall/fixtures.ts';

describe('native API /api/roster/v1/users/:userId/contact', () => {
  let t: TestRoster;
  let ann: { id: number; basic: [string, string] };
  before(async () => {
    t = await startRoster();
    ann = await makeUser(t, 'ann', 'Viewer');
  });
  after(() => t.close());

  const url = (id: number | string) => `/api/roster/v1/users/${id}/contact`;

  it('a user reads their own contact; empty by default', async () => {
    const r = await t.request('GET', url(ann.id), { basic: ann.basic });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      id: ann.id,
      oncall_id: await publicIdOf(t, ann.id),
      timezone: null,
      phone_number: null,
      phone_verified: false,
      phone_private: false,
      slack: [],
    });
  });

  it('an admin sets everything; the OnCall public id works as the path id', async () => {
    const oncallId = await publicIdOf(t, ann.id);
    let r = await t.request('PATCH', url(oncallId), {
      ...t.admin,
      body: {
        timezone: 'europe/paris',
        phone_number: '+33 1 23 45 67 89',
        phone_verified: true,
        phone_private: true,
        slack: [
          { user_id: 'U1', team_id: 'T1' },
          { user_id: 'U2', team_id: 'T2' },
        ],
      },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.slack, [
      { user_id: 'U1', team_id: 'T1' },
      { user_id: 'U2', team_id: 'T2' },
    ]);
    assert.deepEqual([r.body.timezone, r.body.phone_number, r.body.phone_verified, r.body.phone_private], ['Europe/Paris', '+33123456789', true, true]);
    r = await t.request('GET', url(ann.id), { basic: ann.basic });
    assert.equal(r.body.phone_number, '+33123456789');
    // the slack list is replaced, [] clears it; null clears number and verification
    r = await t.request('PATCH', url(ann.id), { basic: ann.basic, body: { slack: [], phone_number: null, timezone: '' } });
    assert.deepEqual([r.body.slack, r.body.phone_number, r.body.phone_verified, r.body.timezone], [[], null, false, null]);
  });

  it('bad input is a 400 with a stable code and changes nothing', async () => {
    await t.request('PATCH', url(ann.id), { ...t.admin, body: { timezone: 'UTC', phone_number: '+15551234567' } });
    const cases: [unknown, string, string?][] = [
      [{ timezone: 'Mars/Olympus' }, 'contact.timezone-invalid', 'timezone'],
      [{ phone_number: '12345' }, 'contact.phone-invalid', 'phone_number'],
      [{ phone_number: '+1555abc' }, 'contact.phone-invalid', 'phone_number'],
      [
        {
          slack: [
            { user_id: 'U1', team_id: 'T1' },
            { user_id: 'U2', team_id: 'T1' },
          ],
        },
        'contact.slack-duplicate-team',
        'slack',
      ],
      [{ slack: [{ user_id: '', team_id: 'T1' }] }, 'contact.slack-invalid', 'slack'],
      [{ slack: [{ user_id: 'U1' }] }, 'request.invalid'],
      [{ phone_private: 'yes' }, 'request.invalid', 'phone_private'],
      [{ nickname: 'x' }, 'request.invalid'],
      [[], 'request.invalid'],
      [{ phone_number: null, phone_verified: true, timezone: 'Asia/Tokyo' }, 'contact.phone-required', 'phone_verified'],
    ];
    for (const [body, code, field] of cases) {
      const r = await t.request('PATCH', url(ann.id), { ...t.admin, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, code, JSON.stringify(body));
      if (field) assert.equal(r.body.error.field, field, JSON.stringify(body));
      assert.equal(typeof r.body.error.message, 'string');
    }
    const bad = await t.request('PATCH', url(ann.id), { ...t.admin, rawBody: '{"timezone":' });
    assert.deepEqual([bad.status, bad.body.error.code], [400, 'request.malformed-json']);
    const r = await t.request('GET', url(ann.id), t.admin);
    assert.deepEqual([r.body.timezone, r.body.phone_number, r.body.slack], ['UTC', '+15551234567', []]);
  });

  it('who may: self, org Admins (users and tokens) for their org, server admins; others 403 or 404', async () => {
    const boss = await makeUser(t, 'boss', 'Admin');
    const peer = await makeUser(t, 'peer', 'Editor');
    let r = await t.request('PATCH', url(ann.id), { basic: boss.basic, body: { phone_number: '+15550009999', phone_verified: true } });
    assert.deepEqual([r.status, r.body.phone_verified], [200, true]);
    r = await t.request('GET', url(ann.id), { basic: peer.basic });
    assert.deepEqual([r.status, r.body.error.code], [403, 'permission-denied']);
    r = await t.request('PATCH', url(ann.id), { basic: peer.basic, body: { timezone: 'UTC' } });
    assert.equal(r.status, 403);
    const adminToken = await makeToken(t, 1, 'Admin');
    r = await t.request('PATCH', url(ann.id), { bearer: adminToken, body: { phone_private: true } });
    assert.deepEqual([r.status, r.body.phone_private], [200, true]);
    const viewerToken = await makeToken(t, 1, 'Viewer');
    r = await t.request('GET', url(ann.id), { bearer: viewerToken });
    assert.equal(r.status, 403);
    // an Admin of another org cannot see org 1's users at all
    const orgB = await makeOrg(t, 'B');
    const outsider = await makeUser(t, 'outsider', 'Admin', orgB);
    r = await t.request('GET', url(ann.id), { basic: outsider.basic });
    assert.deepEqual([r.status, r.body.error.code], [404, 'user.not-found']);
    const tokenB = await makeToken(t, orgB, 'Admin');
    r = await t.request('PATCH', url(ann.id), { bearer: tokenB, body: { phone_private: false } });
    assert.equal(r.status, 404);
    // ...and org 1's Admin cannot touch org B's users
    r = await t.request('GET', url(outsider.id), { basic: boss.basic });
    assert.equal(r.status, 404);
    // the server admin can
    r = await t.request('GET', url(outsider.id), t.admin);
    assert.equal(r.status, 200);
  });

  it('unknown users are 404; no credentials are 401', async () => {
    for (const id of ['99999', 'U4DNY931HHJS5', 'nope']) {
      const r = await t.request('GET', url(id), t.admin);
      assert.deepEqual([r.status, r.body.error.code], [404, 'user.not-found'], id);
    }
    const r = await t.request('GET', url(ann.id));
    assert.deepEqual([r.status, r.body.error.code], [401, 'auth.missing']);
    const bad = await t.request('GET', url(ann.id), { bearer: 'glsa_nope' });
    assert.deepEqual([bad.status, bad.body.error.code], [401, 'auth.invalid-token']);
  });
});

describe('native API /api/roster/v1/orgs/:orgId/settings', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('members read, Admins write, by numeric or OnCall id; the OnCall face sees the change', async () => {
    const viewer = await makeUser(t, 'vic', 'Viewer');
    const admin = await makeUser(t, 'ada', 'Admin');
    let r = await t.request('GET', '/api/roster/v1/orgs/1/settings', { basic: viewer.basic });
    assert.deepEqual([r.status, r.body], [200, { phonePrivacyOverride: false, manuallyManageDirectPagingIntegrations: false }]);
    r = await t.request('PATCH', '/api/roster/v1/orgs/1/settings', { basic: viewer.basic, body: { phonePrivacyOverride: true } });
    assert.deepEqual([r.status, r.body.error.code], [403, 'permission-denied']);
    const oid = await orgPublicId(t, 1);
    r = await t.request('PATCH', `/api/roster/v1/orgs/${oid}/settings`, { basic: admin.basic, body: { manuallyManageDirectPagingIntegrations: true } });
    assert.deepEqual([r.status, r.body], [200, { phonePrivacyOverride: false, manuallyManageDirectPagingIntegrations: true }]);
    const token = await makeToken(t, 1, 'Viewer');
    r = await t.request('GET', `/api/v1/organizations/${oid}`, { raw: token });
    assert.equal(r.body.manually_manage_direct_paging_integrations, true);
  });

  it('bad bodies are 400 and change nothing; other orgs are 403 for non-members, unknown orgs 404', async () => {
    for (const body of [{ phonePrivacyOverride: 'yes' }, { other: true }, [1]]) {
      const r = await t.request('PATCH', '/api/roster/v1/orgs/1/settings', { ...t.admin, body });
      assert.deepEqual([r.status, r.body.error.code], [400, 'request.invalid'], JSON.stringify(body));
    }
    let r = await t.request('GET', '/api/roster/v1/orgs/1/settings', t.admin);
    assert.equal(r.body.phonePrivacyOverride, false);
    const orgB = await makeOrg(t, 'Org B');
    const vic = ['vic', 'password1'] as [string, string];
    r = await t.request('GET', `/api/roster/v1/orgs/${orgB}/settings`, { basic: vic });
    assert.equal(r.status, 403);
    r = await t.request('GET', '/api/roster/v1/orgs/424242/settings', t.admin);
    assert.deepEqual([r.status, r.body.error.code], [404, 'org.not-found']);
    r = await t.request('GET', '/api/roster/v1/orgs/O53AAGWFBPE5W/settings', t.admin);
    assert.equal(r.status, 404);
  });
});
