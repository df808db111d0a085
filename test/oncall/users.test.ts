// The users API (docs/compat/oncall.md#users): the published examples, role mapping, filters,
// isolation, current user.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { makeOrg, makeTeam, makeToken, makeUser, publicIdOf, USER_ID } from './fixtures.ts';

const USER_KEYS = ['id', 'grafana_id', 'email', 'slack', 'username', 'role', 'timezone', 'teams', 'is_phone_number_verified', 'phone_number', 'phone_number_status'];

describe('OnCall /api/v1/users', () => {
  let t: TestRoster;
  let token: string;
  let alex: { id: number; basic: [string, string] };
  let alexId: string;
  let teamId: string;
  before(async () => {
    t = await startRoster();
    token = await makeToken(t, 1, 'Viewer');
    alex = await makeUser(t, 'alex', 'Admin');
    alexId = await publicIdOf(t, alex.id);
    teamId = (await makeTeam(t, 1, 'Team A', [alex.id])).publicId;
    const r = await t.request('PATCH', `/api/roster/v1/users/${alex.id}/contact`, {
      ...t.admin,
      body: {
        timezone: 'UTC',
        phone_number: '+12345678901',
        phone_verified: true,
        slack: [{ user_id: 'UALEXSLACKDJPK', team_id: 'TALEXSLACKDJPK' }],
      },
    });
    assert.equal(r.status, 200, r.text);
  });
  after(() => t.close());

  const seedUser = (teams: string[]) => ({
    id: alexId,
    grafana_id: alex.id,
    email: 'alex@example.com',
    slack: [{ user_id: 'UALEXSLACKDJPK', team_id: 'TALEXSLACKDJPK' }],
    username: 'alex',
    role: 'admin',
    timezone: 'UTC',
    teams,
    is_phone_number_verified: true,
    phone_number: '+12345678901',
    phone_number_status: 'available',
  });

  it('GET /users/current/ returns the seed object for the caller (raw Authorization as the seed sends)', async () => {
    const r = await t.request('GET', '/api/v1/users/current/', { basic: alex.basic, headers: { 'x-grafana-url': 'https://your-stack.grafana.net' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, seedUser([teamId]));
    assert.deepEqual(Object.keys(r.body), USER_KEYS);
    assert.match(r.body.id, USER_ID);
  });

  it('GET /users/<id>/ returns the same object; the unslashed path too', async () => {
    for (const url of [`/api/v1/users/${alexId}/`, `/api/v1/users/${alexId}`]) {
      const r = await t.request('GET', url, { raw: token });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, seedUser([teamId]));
    }
  });

  it('GET /users/?username=alex returns the seed envelope', async () => {
    const r = await t.request('GET', '/api/v1/users/?username=alex', { raw: token });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { count: 1, next: null, previous: null, results: [seedUser([teamId])], page_size: 100, current_page_number: 1, total_pages: 1 });
    assert.deepEqual(Object.keys(r.body), ['count', 'next', 'previous', 'results', 'page_size', 'current_page_number', 'total_pages']);
  });

  it('lists every non-None member in creation order with ids of the OnCall format', async () => {
    const r = await t.request('GET', '/api/v1/users', { raw: token });
    assert.deepEqual(
      r.body.results.map((u: { username: string }) => u.username),
      ['admin', 'alex'],
    );
    for (const u of r.body.results) assert.match(u.id, USER_ID);
    // a user without contact details
    assert.deepEqual(r.body.results[0].slack, []);
    assert.equal(r.body.results[0].timezone, null);
    assert.deepEqual([r.body.results[0].phone_number, r.body.results[0].phone_number_status, r.body.results[0].is_phone_number_verified], [null, 'not_configured', false]);
  });

  it('maps roles: Admin admin, Editor user, Viewer observer; None is left out and 404 by id', async () => {
    const ed = await makeUser(t, 'eddie', 'Editor');
    const vi = await makeUser(t, 'vera', 'Viewer');
    const no = await makeUser(t, 'nobody', 'None');
    const r = await t.request('GET', '/api/v1/users', { raw: token });
    const roles = Object.fromEntries(r.body.results.map((u: { username: string; role: string }) => [u.username, u.role]));
    assert.deepEqual(roles, { admin: 'admin', alex: 'admin', eddie: 'user', vera: 'observer' });
    assert.equal(r.body.count, 4);
    const none = await t.request('GET', `/api/v1/users/${await publicIdOf(t, no.id)}`, { raw: token });
    assert.deepEqual([none.status, none.body], [404, { detail: 'Not found.' }]);
    // a None member has no OnCall permissions at all
    const cur = await t.request('GET', '/api/v1/users/current', { basic: no.basic });
    assert.deepEqual([cur.status, cur.body], [403, { detail: 'You do not have permission to perform this action.' }]);
    assert.ok(ed && vi);
  });

  it('username and email filters are case-insensitive exact; blank means no filter', async () => {
    let r = await t.request('GET', '/api/v1/users/?username=ALEX', { raw: token });
    assert.deepEqual(
      r.body.results.map((u: { id: string }) => u.id),
      [alexId],
    );
    r = await t.request('GET', '/api/v1/users/?username=ale', { raw: token });
    assert.deepEqual([r.status, r.body.count, r.body.results, r.body.total_pages], [200, 0, [], 1]);
    r = await t.request('GET', '/api/v1/users/?email=Alex@Example.com', { raw: token });
    assert.deepEqual(
      r.body.results.map((u: { id: string }) => u.id),
      [alexId],
    );
    r = await t.request('GET', '/api/v1/users/?username=', { raw: token });
    assert.equal(r.body.count, 4);
    r = await t.request('GET', '/api/v1/users/?username=nobody&page=3', { raw: token });
    assert.deepEqual([r.body.count, r.body.current_page_number, r.body.total_pages, r.body.next, r.body.previous], [0, 1, 1, null, null]);
  });

  it('roles filter takes 0-3 (repeatable); anything else is the DRF 400', async () => {
    let r = await t.request('GET', '/api/v1/users/?roles=0', { raw: token });
    assert.deepEqual(
      r.body.results.map((u: { username: string }) => u.username),
      ['admin', 'alex'],
    );
    r = await t.request('GET', '/api/v1/users/?roles=1&roles=2', { raw: token });
    assert.deepEqual(
      r.body.results.map((u: { username: string }) => u.username),
      ['eddie', 'vera'],
    );
    r = await t.request('GET', '/api/v1/users/?roles=3', { raw: token });
    assert.equal(r.body.count, 0);
    // django-filter validates a blank choice too: "Select a valid choice.  is not ..."
    for (const bad of ['9', 'viewer', 'admin', '']) {
      r = await t.request('GET', `/api/v1/users/?roles=0&roles=${bad}`, { raw: token });
      assert.deepEqual([r.status, r.body], [400, { roles: [`Select a valid choice. ${bad} is not one of the available choices.`] }]);
    }
  });

  it('team_id filters by team public id; unknown and other-org team ids match nobody', async () => {
    const vera = await t.request('GET', '/api/v1/users/?username=vera', { raw: token });
    const team2 = await makeTeam(t, 1, 'Team B', [vera.body.results[0].grafana_id, alex.id]);
    let r = await t.request('GET', `/api/v1/users/?team_id=${teamId}`, { raw: token });
    assert.deepEqual(
      r.body.results.map((u: { username: string }) => u.username),
      ['alex'],
    );
    r = await t.request('GET', `/api/v1/users/?team_id=${team2.publicId}`, { raw: token });
    assert.deepEqual(
      r.body.results.map((u: { username: string }) => u.username),
      ['alex', 'vera'],
    );
    assert.deepEqual(r.body.results[0].teams, [teamId, team2.publicId]);
    r = await t.request('GET', '/api/v1/users/?team_id=TAAM1K1NNEHAG', { raw: token });
    assert.deepEqual([r.status, r.body.count], [200, 0]);
    const other = await makeOrg(t, 'Team Org');
    const foreign = await makeTeam(t, other, 'Foreign', [alex.id]);
    r = await t.request('GET', `/api/v1/users/?team_id=${foreign.publicId}`, { raw: token });
    assert.deepEqual([r.status, r.body.count], [200, 0]);
    // and a foreign team never shows in the user's teams of this org
    r = await t.request('GET', `/api/v1/users/${alexId}`, { raw: token });
    assert.deepEqual(r.body.teams, [teamId, team2.publicId]);
  });

  it('short=true returns the short object (list only)', async () => {
    let r = await t.request('GET', '/api/v1/users/?short=true&username=alex', { raw: token });
    assert.deepEqual(r.body.results, [{ id: alexId, grafana_id: alex.id, email: 'alex@example.com', username: 'alex', role: 'admin', is_phone_number_verified: true }]);
    r = await t.request('GET', '/api/v1/users/?short=True&username=alex', { raw: token });
    assert.deepEqual(Object.keys(r.body.results[0]), USER_KEYS);
    r = await t.request('GET', `/api/v1/users/${alexId}/?short=true`, { raw: token });
    assert.deepEqual(Object.keys(r.body), USER_KEYS);
  });

  it('/users/current with a service-account token is a clear 403, not a 500', async () => {
    const r = await t.request('GET', '/api/v1/users/current', { raw: token });
    assert.deepEqual([r.status, r.body], [403, { detail: 'This endpoint is only available for users, not service accounts.' }]);
  });

  it('filters holding a NUL are refused as Django form fields refuse them (docs/input-limits.md)', async () => {
    for (const q of ['username=a%00', 'email=%00', 'team_id=T%00']) {
      const r = await t.request('GET', `/api/v1/users/?${q}`, { raw: token });
      const field = q.split('=')[0];
      assert.deepEqual([r.status, r.body], [400, { [field]: ['Null characters are not allowed.'] }], q);
    }
    const r = await t.request('GET', '/api/v1/teams/?name=%00', { raw: token });
    assert.deepEqual([r.status, r.body], [400, { name: ['Null characters are not allowed.'] }]);
  });

  it('unknown ids and odd ids are 404 Not found.', async () => {
    for (const id of ['U4DNY931HHJS5', 'nope', '1', 'a.b', 'U%00']) {
      const r = await t.request('GET', `/api/v1/users/${id}/`, { raw: token });
      assert.deepEqual([r.status, r.body], [404, { detail: 'Not found.' }], id);
    }
  });

  it('methods the users routes lack are 405', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/users/'],
      ['DELETE', `/api/v1/users/${alexId}/`],
      ['PATCH', '/api/v1/users/current'],
      ['PUT', `/api/v1/users/${alexId}`],
    ]) {
      const r = await t.request(method, url, { raw: token, body: {} });
      assert.deepEqual([r.status, r.body], [405, { detail: `Method "${method}" not allowed.` }], `${method} ${url}`);
      assert.equal(r.headers['allow'], 'GET, HEAD, OPTIONS');
    }
  });
});

describe('OnCall users across orgs and faces', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it("another org's user is 404, and each org's token sees only its own users", async () => {
    const orgB = await makeOrg(t, 'Org B');
    const bob = await makeUser(t, 'bob', 'Editor', orgB);
    const bobId = await publicIdOf(t, bob.id);
    const tokenA = await makeToken(t, 1, 'Admin');
    const tokenB = await makeToken(t, orgB, 'Viewer');
    let r = await t.request('GET', `/api/v1/users/${bobId}`, { raw: tokenA });
    assert.deepEqual([r.status, r.body], [404, { detail: 'Not found.' }]);
    r = await t.request('GET', `/api/v1/users/${bobId}`, { raw: tokenB });
    assert.equal(r.body.role, 'user');
    r = await t.request('GET', '/api/v1/users', { raw: tokenB });
    assert.deepEqual(
      r.body.results.map((u: { username: string }) => u.username),
      ['admin', 'bob'],
    );
    r = await t.request('GET', '/api/v1/users', { raw: tokenA });
    assert.deepEqual(
      r.body.results.map((u: { username: string }) => u.username),
      ['admin'],
    );
  });

  it('a user added and re-roled through the Grafana face shows up at once with the mapped role', async () => {
    const token = await makeToken(t, 1, 'Viewer');
    const created = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'carol', password: 'password1', orgId: 2 } });
    assert.equal(created.status, 200);
    const carolId = await publicIdOf(t, created.body.id);
    let r = await t.request('GET', `/api/v1/users/${carolId}`, { raw: token });
    assert.equal(r.status, 404);
    r = await t.request('POST', '/api/org/users', { ...t.admin, body: { loginOrEmail: 'carol', role: 'Viewer' } });
    assert.equal(r.status, 200, r.text);
    r = await t.request('GET', `/api/v1/users/${carolId}`, { raw: token });
    assert.deepEqual([r.status, r.body.role], [200, 'observer']);
    for (const [role, oncall] of [
      ['Editor', 'user'],
      ['Admin', 'admin'],
      ['Viewer', 'observer'],
    ]) {
      const p = await t.request('PATCH', `/api/org/users/${created.body.id}`, { ...t.admin, body: { role } });
      assert.equal(p.status, 200, p.text);
      r = await t.request('GET', '/api/v1/users/?username=carol', { raw: token });
      assert.equal(r.body.results[0].role, oncall);
    }
    await t.request('PATCH', `/api/org/users/${created.body.id}`, { ...t.admin, body: { role: 'None' } });
    r = await t.request('GET', '/api/v1/users/?username=carol', { raw: token });
    assert.equal(r.body.count, 0);
    r = await t.request('GET', `/api/v1/users/${carolId}`, { raw: token });
    assert.equal(r.status, 404);
    await t.request('DELETE', `/api/org/users/${created.body.id}`, t.admin);
  });

  it('timezone is the one Grafana user preferences set', async () => {
    const dana = await makeUser(t, 'dana', 'Editor');
    const token = await makeToken(t, 1, 'Viewer');
    let r = await t.request('PUT', '/api/user/preferences', { basic: dana.basic, body: { timezone: 'Europe/Berlin' } });
    assert.equal(r.status, 200, r.text);
    r = await t.request('GET', '/api/v1/users/?username=dana', { raw: token });
    assert.equal(r.body.results[0].timezone, 'Europe/Berlin');
    r = await t.request('PATCH', `/api/roster/v1/users/${dana.id}/contact`, { basic: dana.basic, body: { timezone: 'America/New_York' } });
    assert.equal(r.status, 200, r.text);
    r = await t.request('GET', '/api/user/preferences', { basic: dana.basic });
    assert.equal(r.body.timezone, 'America/New_York');
    // Grafana's non-IANA values: "utc" reads as UTC, "browser" as no time zone
    await t.request('PATCH', '/api/user/preferences', { basic: dana.basic, body: { timezone: 'utc' } });
    r = await t.request('GET', '/api/v1/users/?username=dana', { raw: token });
    assert.equal(r.body.results[0].timezone, 'UTC');
    await t.request('PATCH', '/api/user/preferences', { basic: dana.basic, body: { timezone: 'browser' } });
    r = await t.request('GET', '/api/v1/users/?username=dana', { raw: token });
    assert.equal(r.body.results[0].timezone, null);
  });
});
