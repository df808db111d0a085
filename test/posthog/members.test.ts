// docs/compat/posthog.md#members and #membership-levels: members list, level changes and removal
// under PostHog's level rules, mapped onto Roster roles (docs/compat/decisions.md#roles-across-faces).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addToOrg, denied, FORBIDDEN, invalid, makeUser, NOT_FOUND, startFixture, type Fixture, type TestUser } from './fixture.ts';

describe('PostHog members', () => {
  let f: Fixture;
  let base: string;
  const url = (u: TestUser | string) => `${base}/members/${typeof u === 'string' ? u : u.uuid}/`;
  const role = async (u: TestUser) =>
    (await f.t.roster.ctx.db.selectFrom('org_members').select(['role', 'is_owner']).where('org_id', '=', f.acme.id).where('user_id', '=', u.id).executeTakeFirst()) ?? null;
  /** A fresh user in Acme with a Roster role. */
  const join = async (login: string, r: 'Admin' | 'Editor' | 'Viewer' | 'None') => {
    const u = await makeUser(f.t, login);
    await addToOrg(f.t, f.acme.id, login, r);
    return u;
  };

  before(async () => {
    f = await startFixture();
    base = `/api/organizations/${f.acme.uuid}`;
  });
  after(() => f.t.close());

  it('lists members newest first with PostHog fields and levels mapped from roles', async () => {
    const r = await f.t.request('GET', `${base}/members/`, f.member.creds);
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.results.map((m: any) => [m.user.email, m.level]),
      [
        ['mia@example.com', 1],
        ['adam@example.com', 8],
        ['olivia@example.com', 15],
      ],
    );
    const m = r.body.results[0];
    assert.deepEqual(Object.keys(m), ['id', 'user', 'level', 'joined_at', 'updated_at', 'is_2fa_enabled', 'has_social_auth', 'last_login']);
    assert.deepEqual(Object.keys(m.user), ['id', 'uuid', 'distinct_id', 'first_name', 'last_name', 'email', 'is_email_verified', 'hedgehog_config', 'role_at_organization']);
    assert.equal(m.user.uuid, f.member.uuid);
    assert.equal(m.user.first_name, 'mia');
  });

  it('filters by email and orders by joined_at on request; disabled users are left out', async () => {
    let r = await f.t.request('GET', `${base}/members/?email=adam@example.com`, f.owner.creds);
    assert.deepEqual(
      r.body.results.map((m: any) => m.user.email),
      ['adam@example.com'],
    );
    r = await f.t.request('GET', `${base}/members/?search=ADA`, f.owner.creds);
    assert.deepEqual(
      r.body.results.map((m: any) => m.user.email),
      ['adam@example.com'],
    );
    r = await f.t.request('GET', `${base}/members/?search=${'x'.repeat(201)}`, f.owner.creds);
    assert.deepEqual([r.status, r.body.attr], [400, 'search']);
    r = await f.t.request('GET', `${base}/members/?order=joined_at`, f.owner.creds);
    assert.equal(r.body.results[0].user.email, 'olivia@example.com');
    const ghost = await join('ghost', 'Viewer');
    await f.t.request('POST', `/api/admin/users/${ghost.id}/disable`, f.t.admin);
    r = await f.t.request('GET', `${base}/members/`, f.owner.creds);
    assert.ok(!r.body.results.some((m: any) => m.user.email === 'ghost@example.com'));
  });

  it('outsiders get 403, unknown orgs 404 "Organization not found."', async () => {
    let r = await f.t.request('GET', `${base}/members/`, f.outsider.creds);
    assert.deepEqual([r.status, r.body], [403, FORBIDDEN]);
    r = await f.t.request('GET', '/api/organizations/00000000-0000-4000-8000-000000000000/members/', f.owner.creds);
    assert.deepEqual([r.status, r.body], [404, { ...NOT_FOUND, detail: 'Organization not found.' }]);
    r = await f.t.request('GET', '/api/organizations/nope/members/', f.owner.creds);
    assert.equal(r.status, 404);
    r = await f.t.request('GET', '/api/organizations/@current/members/', f.outsider.creds);
    assert.equal(r.status, 200);
  });

  it('GET on one member is 405 (after the membership check)', async () => {
    let r = await f.t.request('GET', url(f.member), f.owner.creds);
    assert.deepEqual([r.status, r.body.code], [405, 'method_not_allowed']);
    r = await f.t.request('GET', url(f.member), f.outsider.creds);
    assert.equal(r.status, 403);
  });

  it('an admin promotes a member to admin (8 -> Admin, not owner)', async () => {
    const u = await join('promo', 'Viewer');
    const r = await f.t.request('PATCH', url(u), { ...f.admin.creds, body: { level: 8 } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.level, 8);
    assert.equal(r.body.user.uuid, u.uuid);
    assert.deepEqual(await role(u), { role: 'Admin', is_owner: 0 });
    // Grafana sees the same role
    const g = await f.t.request('GET', `/api/orgs/${f.acme.id}/users`, f.t.admin);
    assert.equal(g.body.find((x: any) => x.login === 'promo').role, 'Admin');
  });

  it('level 1 keeps Editor/Viewer/None; an Admin demoted to 1 becomes a Viewer', async () => {
    const ed = await join('ed', 'Editor');
    const no = await join('nobody', 'None');
    const ad = await join('ad2', 'Admin');
    for (const [u, expected] of [
      [ed, 'Editor'],
      [no, 'None'],
      [ad, 'Viewer'],
    ] as const) {
      const r = await f.t.request('PATCH', url(u), { ...f.owner.creds, body: { level: 1 } });
      assert.equal(r.status, 200);
      assert.equal(r.body.level, 1);
      assert.equal((await role(u))?.role, expected);
    }
  });

  it('only an owner makes owners; ownership is added, not transferred', async () => {
    const u = await join('heir', 'Admin');
    let r = await f.t.request('PATCH', url(u), { ...f.admin.creds, body: { level: 15 } });
    assert.deepEqual([r.status, r.body], [403, denied("You can only make another member owner if you're this organization's owner.")]);
    r = await f.t.request('PATCH', url(u), { ...f.owner.creds, body: { level: 15 } });
    assert.equal(r.status, 200);
    assert.equal(r.body.level, 15);
    assert.deepEqual(await role(u), { role: 'Admin', is_owner: 1 });
    assert.deepEqual(await role(f.owner), { role: 'Admin', is_owner: 1 });
    // An owner may demote another owner and then remove them.
    r = await f.t.request('PATCH', url(u), { ...f.owner.creds, body: { level: 8 } });
    assert.equal(r.body.level, 8);
    r = await f.t.request('DELETE', url(u), f.owner.creds);
    assert.equal(r.status, 204);
    assert.equal(await role(u), null);
  });

  it('nobody changes their own level', async () => {
    for (const u of [f.owner, f.admin, f.member]) {
      const r = await f.t.request('PATCH', url(u), { ...u.creds, body: { level: 1 } });
      assert.deepEqual([r.status, r.body], [403, denied("You can't change your own access level.")], u.login);
    }
    const r = await f.t.request('PATCH', url('@me'), { ...f.admin.creds, body: { level: 8 } });
    assert.deepEqual([r.status, r.body.detail], [403, "You can't change your own access level."]);
  });

  it('members cannot edit others; admins cannot touch owners', async () => {
    let r = await f.t.request('PATCH', url(f.admin), { ...f.member.creds, body: { level: 1 } });
    assert.deepEqual([r.status, r.body], [403, denied('You can only edit others if you are an admin.')]);
    r = await f.t.request('DELETE', url(f.admin), f.member.creds);
    assert.deepEqual([r.status, r.body], [403, denied('You can only edit others if you are an admin.')]);
    r = await f.t.request('PATCH', url(f.owner), { ...f.admin.creds, body: { level: 1 } });
    assert.deepEqual([r.status, r.body], [403, denied('You can only edit others with level lower or equal to you.')]);
    r = await f.t.request('DELETE', url(f.owner), f.admin.creds);
    assert.deepEqual([r.status, r.body], [403, denied('You can only edit others with level lower or equal to you.')]);
    assert.deepEqual(await role(f.owner), { role: 'Admin', is_owner: 1 });
  });

  it('an admin demotes and removes another admin', async () => {
    const u = await join('peer', 'Admin');
    let r = await f.t.request('PATCH', url(u), { ...f.admin.creds, body: { level: 1 } });
    assert.equal(r.body.level, 1);
    r = await f.t.request('DELETE', url(u), f.admin.creds);
    assert.equal(r.status, 204);
  });

  it('owners can neither leave nor be removed', async () => {
    let r = await f.t.request('DELETE', url(f.owner), f.owner.creds);
    assert.deepEqual([r.status, r.body], [400, invalid('invalid_input', 'Cannot leave the organization as its owner!', null)]);
    const co = await join('coowner', 'Admin');
    await f.t.request('PATCH', url(co), { ...f.owner.creds, body: { level: 15 } });
    r = await f.t.request('DELETE', url(co), f.owner.creds);
    assert.equal(r.status, 400);
    r = await f.t.request('DELETE', url('@me'), co.creds);
    assert.equal(r.status, 400);
    assert.deepEqual(await role(co), { role: 'Admin', is_owner: 1 });
  });

  it('a plain member leaves; their current org moves elsewhere', async () => {
    const u = await join('leaver', 'Viewer');
    await f.t.request('POST', `/api/user/using/${f.acme.id}`, u.creds);
    let r = await f.t.request('DELETE', url('@me'), u.creds);
    assert.equal(r.status, 204);
    assert.equal(await role(u), null);
    r = await f.t.request('GET', '/api/organizations/@current/', u.creds);
    assert.equal(r.body.name, 'Main Org.');
  });

  it('level validation happens after the permission check', async () => {
    const u = await join('val', 'Viewer');
    for (const [body, code, detail] of [
      [{ level: 7 }, 'invalid_choice', '"7" is not a valid choice.'],
      [{ level: 'admin' }, 'invalid_choice', '"admin" is not a valid choice.'],
      [{ level: null }, 'null', 'This field may not be null.'],
      [{ level: true }, 'invalid_choice', '"True" is not a valid choice.'],
    ] as const) {
      const r = await f.t.request('PATCH', url(u), { ...f.owner.creds, body });
      assert.deepEqual([r.status, r.body], [400, invalid(code, detail, 'level')], JSON.stringify(body));
    }
    let r = await f.t.request('PATCH', url(u), { ...f.member.creds, body: { level: 7 } });
    assert.equal(r.status, 403);
    r = await f.t.request('PATCH', url(u), { ...f.owner.creds, body: { level: '8' } });
    assert.equal(r.body.level, 8);
    r = await f.t.request('PATCH', url(u), { ...f.owner.creds, body: {} });
    assert.equal(r.body.level, 8);
    assert.equal((await role(u))?.role, 'Admin');
  });

  it('unknown, malformed and foreign member ids are 404', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '42', f.outsider.uuid]) {
      const r = await f.t.request('PATCH', url(id), { ...f.owner.creds, body: { level: 1 } });
      assert.deepEqual([r.status, r.body], [404, NOT_FOUND], id);
      const d = await f.t.request('DELETE', url(id), f.owner.creds);
      assert.equal(d.status, 404, id);
    }
  });

  it('PUT changes a level like PATCH', async () => {
    const u = await join('putter', 'Viewer');
    const r = await f.t.request('PUT', url(u), { ...f.owner.creds, body: { level: 8 } });
    assert.deepEqual([r.status, r.body.level], [200, 8]);
  });

  it("scoped_api_keys lists a member's keys that reach this org; keys themselves may not ask", async () => {
    const u = await join('keyholder', 'Viewer');
    const keyUrl = `${url(u)}scoped_api_keys/`;
    let r = await f.t.request('GET', keyUrl, f.member.creds);
    assert.deepEqual(r.body, { has_keys: false, has_keys_active_last_week: false, keys: [] });
    const make = (label: string, orgs: string[]) => f.t.request('POST', '/api/personal_api_keys/', { ...u.creds, body: { label, scopes: ['*'], scoped_organizations: orgs } });
    const all = await make('everywhere', []);
    await make('only acme', [f.acme.uuid]);
    const main = (await f.t.request('GET', '/api/organizations/@current/', u.creds)).body.id;
    await make('only main', [main]);
    await f.t.request('GET', '/api/organizations/', { bearer: all.body.value });
    r = await f.t.request('GET', keyUrl, f.owner.creds);
    assert.equal(r.status, 200);
    assert.equal(r.body.has_keys, true);
    assert.equal(r.body.has_keys_active_last_week, true);
    assert.deepEqual(r.body.keys.map((k: any) => k.name).sort(), ['everywhere', 'only acme']);
    r = await f.t.request('GET', keyUrl, { bearer: all.body.value });
    assert.equal(r.status, 403);
    r = await f.t.request('GET', `${url(f.outsider)}scoped_api_keys/`, f.owner.creds);
    assert.equal(r.status, 404);
  });
});
