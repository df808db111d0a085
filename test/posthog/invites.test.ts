// docs/compat/posthog.md#invites: invites list/create/delete with expiry; accepting through Roster's native API
// with the invite's code (this server sends no mail, so the code is returned once on creation).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { denied, FORBIDDEN, invalid, makeUser, NOT_FOUND, startFixture, type Fixture } from './fixture.ts';

const INVITE_KEYS = ['id', 'target_email', 'first_name', 'emailing_attempt_made', 'level', 'is_expired', 'created_by', 'created_at', 'updated_at', 'message', 'private_project_access'];

describe('PostHog invites', () => {
  let f: Fixture;
  let base: string;
  const invite = (creds: object, body: unknown) => f.t.request('POST', `${base}/invites/`, { ...creds, body });

  before(async () => {
    f = await startFixture();
    base = `/api/organizations/${f.acme.uuid}`;
  });
  after(() => f.t.close());

  it('a member invites an address; the invite has PostHog fields and expires in three days', async () => {
    const r = await invite(f.member.creds, { target_email: 'New.Person@EXAMPLE.com', first_name: 'New', message: 'welcome', unknown: 1 });
    assert.equal(r.status, 201, r.text);
    // PostHog's keys, then the code to pass on (no mail here), shown on creation only.
    assert.deepEqual(Object.keys(r.body), [...INVITE_KEYS, 'invite_code']);
    const listed = (await f.t.request('GET', `${base}/invites/`, f.member.creds)).body.results.find((i: any) => i.id === r.body.id);
    assert.deepEqual(Object.keys(listed), INVITE_KEYS);
    assert.equal(r.body.target_email, 'New.Person@example.com');
    assert.equal(r.body.level, 1);
    assert.equal(r.body.is_expired, false);
    assert.equal(r.body.emailing_attempt_made, false);
    assert.equal(r.body.created_by.email, 'mia@example.com');
    assert.deepEqual(r.body.private_project_access, []);
    const row = await f.t.roster.ctx.db.selectFrom('invites').selectAll().where('id', '=', r.body.id).executeTakeFirstOrThrow();
    const days = (Date.parse(row.expires_at) - Date.parse(row.created_at)) / 86400000;
    assert.equal(days, 3);
  });

  it('lists invites newest first, expired ones included and flagged', async () => {
    const r1 = await invite(f.owner.creds, { target_email: 'old@example.com' });
    await f.t.roster.ctx.db
      .updateTable('invites')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', r1.body.id)
      .execute();
    await invite(f.owner.creds, { target_email: 'fresh@example.com', level: 8 });
    const r = await f.t.request('GET', `${base}/invites/`, f.member.creds);
    assert.equal(r.status, 200);
    const rows = r.body.results.map((i: any) => [i.target_email, i.level, i.is_expired]);
    assert.deepEqual(rows.slice(0, 2), [
      ['fresh@example.com', 8, false],
      ['old@example.com', 1, true],
    ]);
  });

  it('re-inviting replaces the earlier invite; combine_pending_invites keeps the highest level', async () => {
    await invite(f.owner.creds, { target_email: 'again@example.com', level: 8 });
    let r = await invite(f.owner.creds, { target_email: 'again@example.com', level: 1 });
    assert.equal(r.body.level, 1);
    let list = await f.t.request('GET', `${base}/invites/`, f.owner.creds);
    assert.deepEqual(
      list.body.results.filter((i: any) => i.target_email === 'again@example.com').map((i: any) => i.level),
      [1],
    );
    await invite(f.owner.creds, { target_email: 'again@example.com', level: 15 });
    r = await invite(f.owner.creds, { target_email: 'again@example.com', level: 1, combine_pending_invites: true });
    assert.equal(r.body.level, 15);
    list = await f.t.request('GET', `${base}/invites/`, f.owner.creds);
    assert.equal(list.body.results.filter((i: any) => i.target_email === 'again@example.com').length, 1);
  });

  it('nobody invites above their own level', async () => {
    let r = await invite(f.member.creds, { target_email: 'x@example.com', level: 8 });
    assert.deepEqual([r.status, r.body], [403, denied('You cannot invite a user with a higher permission level than your own.')]);
    r = await invite(f.admin.creds, { target_email: 'x@example.com', level: 15 });
    assert.equal(r.status, 403);
    r = await invite(f.admin.creds, { target_email: 'x@example.com', level: 8 });
    assert.equal(r.status, 201);
  });

  it('existing members cannot be invited', async () => {
    const r = await invite(f.owner.creds, { target_email: 'adam@example.com' });
    assert.deepEqual([r.status, r.body], [400, invalid('invalid_input', 'A user with this email address already belongs to the organization.', null)]);
  });

  it('validation: email required and well-formed, level a choice, first_name at most 30, projects unknown', async () => {
    const cases: [unknown, object][] = [
      [{}, invalid('required', 'This field is required.', 'target_email')],
      [{ target_email: 'not-an-email' }, invalid('invalid_input', 'Enter a valid email address.', 'target_email')],
      [{ target_email: 5 }, invalid('invalid_input', 'Not a valid string.', 'target_email')],
      [{ target_email: 'a@example.com', first_name: 'x'.repeat(31) }, invalid('max_length', 'Ensure this field has no more than 30 characters.', 'first_name')],
      [{ target_email: 'a@example.com', level: 3 }, invalid('invalid_choice', '"3" is not a valid choice.', 'level')],
      [
        { target_email: 'a@example.com', private_project_access: [{ id: 1, level: 'member' }] },
        invalid('invalid_input', 'Project does not exist on this organization, or it is private and you do not have access to it.', 'private_project_access'),
      ],
      [{ target_email: 'a@example.com', send_email: 'perhaps' }, invalid('invalid_input', 'Must be a valid boolean.', 'send_email')],
    ];
    const count = (await f.t.request('GET', `${base}/invites/`, f.owner.creds)).body.count;
    for (const [body, expected] of cases) {
      const r = await invite(f.owner.creds, body);
      assert.deepEqual([r.status, r.body], [400, expected], JSON.stringify(body));
    }
    assert.equal((await f.t.request('GET', `${base}/invites/`, f.owner.creds)).body.count, count);
  });

  it('members may not invite when members_can_invite is off; admins still may', async () => {
    await f.t.request('PATCH', `${base}/`, { ...f.owner.creds, body: { members_can_invite: false } });
    let r = await invite(f.member.creds, { target_email: 'blocked@example.com' });
    assert.deepEqual([r.status, r.body], [403, FORBIDDEN]);
    r = await invite(f.admin.creds, { target_email: 'allowed@example.com' });
    assert.equal(r.status, 201);
    await f.t.request('PATCH', `${base}/`, { ...f.owner.creds, body: { members_can_invite: true } });
  });

  it('outsiders cannot list or invite', async () => {
    assert.deepEqual((await f.t.request('GET', `${base}/invites/`, f.outsider.creds)).body, FORBIDDEN);
    assert.equal((await invite(f.outsider.creds, { target_email: 'x@example.com' })).status, 403);
  });

  it('DELETE: members 403, admins 204, unknown 404; GET/PATCH one 405', async () => {
    const r = await invite(f.owner.creds, { target_email: 'gone@example.com' });
    const url = `${base}/invites/${r.body.id}/`;
    let d = await f.t.request('DELETE', url, f.member.creds);
    assert.deepEqual([d.status, d.body], [403, denied('Your organization access level is insufficient.')]);
    assert.equal((await f.t.request('GET', url, f.owner.creds)).status, 405);
    assert.equal((await f.t.request('PATCH', url, { ...f.owner.creds, body: {} })).status, 405);
    assert.equal((await f.t.request('GET', url, f.outsider.creds)).status, 403);
    d = await f.t.request('DELETE', url, f.admin.creds);
    assert.equal(d.status, 204);
    d = await f.t.request('DELETE', url, f.admin.creds);
    assert.deepEqual([d.status, d.body], [404, NOT_FOUND]);
    d = await f.t.request('DELETE', `${base}/invites/not-a-uuid/`, f.admin.creds);
    assert.equal(d.status, 404);
  });

  it('an invite of another org cannot be deleted through this org', async () => {
    const other = await f.t.request('POST', '/api/organizations/', { ...f.admin.creds, body: { name: 'Adams Org' } });
    const r = await invite(f.admin.creds, { target_email: 'elsewhere@example.com' });
    const theirs = await f.t.request('POST', `/api/organizations/${other.body.id}/invites/`, { ...f.admin.creds, body: { target_email: 'elsewhere2@example.com' } });
    assert.equal(r.status, 201);
    const d = await f.t.request('DELETE', `${base}/invites/${theirs.body.id}/`, f.admin.creds);
    assert.equal(d.status, 404);
    assert.equal((await f.t.request('GET', `/api/organizations/${other.body.id}/invites/`, f.admin.creds)).body.count, 1);
  });

  it('accepting: the addressee joins with the invited level; others cannot; the invite is used up', async () => {
    const r = await invite(f.owner.creds, { target_email: 'joiner@example.com', level: 15 });
    const accept = `/api/roster/v1/invites/${r.body.id}/accept`;
    const code = { code: r.body.invite_code };
    let a = await f.t.request('POST', accept, { ...f.outsider.creds, body: code });
    assert.equal(a.status, 403);
    const joiner = await makeUser(f.t, 'joiner');
    a = await f.t.request('POST', accept, joiner.creds);
    assert.equal(a.status, 404, 'the id alone is not enough');
    a = await f.t.request('POST', accept, { ...joiner.creds, body: code });
    assert.equal(a.status, 200, a.text);
    assert.deepEqual({ ...a.body, orgUuid: 0 }, { orgId: f.acme.id, orgUuid: 0, role: 'Admin', isOwner: true, level: 15 });
    const members = await f.t.request('GET', `${base}/members/?email=joiner@example.com`, f.owner.creds);
    assert.equal(members.body.results[0].level, 15);
    a = await f.t.request('POST', accept, { ...joiner.creds, body: code });
    assert.equal(a.status, 404);
  });

  it('accepting a member-level invite joins as Viewer; an expired invite is refused', async () => {
    const r = await invite(f.owner.creds, { target_email: 'viewer@example.com' });
    const u = await makeUser(f.t, 'viewer');
    const a = await f.t.request('POST', `/api/roster/v1/invites/${r.body.id}/accept`, { ...u.creds, body: { code: r.body.invite_code } });
    assert.equal(a.body.role, 'Viewer');
    const e = await invite(f.owner.creds, { target_email: 'late@example.com' });
    await f.t.roster.ctx.db
      .updateTable('invites')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', e.body.id)
      .execute();
    const late = await makeUser(f.t, 'late');
    const x = await f.t.request('POST', `/api/roster/v1/invites/${e.body.id}/accept`, { ...late.creds, body: { code: e.body.invite_code } });
    assert.deepEqual([x.status, x.body.error.code], [400, 'invite.expired']);
    assert.equal((await f.t.request('GET', `${base}/members/?email=late@example.com`, f.owner.creds)).body.count, 0);
    const bad = await f.t.request('POST', '/api/roster/v1/invites/nope/accept', late.creds);
    assert.equal(bad.status, 400);
    assert.equal((await f.t.request('POST', `/api/roster/v1/invites/${e.body.id}/accept`)).status, 401);
  });

  it('bulk: up to 20 at once, all or nothing', async () => {
    const bulk = `${base}/invites/bulk/`;
    let r = await f.t.request('POST', bulk, { ...f.owner.creds, body: [{ target_email: 'b1@example.com' }, { target_email: 'b2@example.com', level: 8 }] });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(
      r.body.map((i: any) => [i.target_email, i.level]),
      [
        ['b1@example.com', 1],
        ['b2@example.com', 8],
      ],
    );
    const count = (await f.t.request('GET', `${base}/invites/`, f.owner.creds)).body.count;
    r = await f.t.request('POST', bulk, { ...f.owner.creds, body: { target_email: 'b3@example.com' } });
    assert.deepEqual([r.status, r.body], [400, invalid('invalid_input', 'This endpoint needs an array of data for bulk invite creation.', null)]);
    const many = Array.from({ length: 21 }, (_, i) => ({ target_email: `m${i}@example.com` }));
    r = await f.t.request('POST', bulk, { ...f.owner.creds, body: many });
    assert.deepEqual([r.status, r.body], [400, invalid('max_length', 'A maximum of 20 invites can be sent in a single request.', null)]);
    r = await f.t.request('POST', bulk, { ...f.owner.creds, body: [{ target_email: 'ok@example.com' }, { target_email: 'bad' }] });
    assert.equal(r.status, 400);
    r = await f.t.request('POST', bulk, { ...f.member.creds, body: [{ target_email: 'ok@example.com' }, { target_email: 'high@example.com', level: 8 }] });
    assert.equal(r.status, 403);
    r = await f.t.request('POST', bulk, { ...f.owner.creds, body: [{ target_email: 'ok@example.com' }, { target_email: 'adam@example.com' }] });
    assert.equal(r.status, 400);
    assert.equal((await f.t.request('GET', `${base}/invites/`, f.owner.creds)).body.count, count);
  });
});
