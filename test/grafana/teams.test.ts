// docs/compat/grafana.md#teams and #pagination: /api/teams as Grafana answers it, and what grafana-client expects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';

describe('Grafana teams /api/teams', () => {
  let t: TestRoster;
  let viewer: Creds;
  let viewerId: number;
  let orgB: number;
  const asOrgB = () => ({ ...t.admin, headers: { 'x-grafana-org-id': String(orgB) } });

  const createTeam = async (name: string, creds: Creds = t.admin) => {
    const r = await t.request('POST', '/api/teams', { ...creds, body: { name } });
    assert.equal(r.status, 200, r.text);
    return r.body.teamId as number;
  };

  before(async () => {
    t = await startRoster();
    const u = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'viewer', email: 'viewer@example.com', password: 'viewer-pw' } });
    viewerId = u.body.id;
    viewer = { basic: ['viewer', 'viewer-pw'] };
    orgB = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Org B' } })).body.orgId;
  });
  after(() => t.close());

  it('POST /api/teams answers {teamId, uid, message} and GET returns the TeamDTO', async () => {
    const r = await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'Alpha', email: 'alpha@example.com' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.message, 'Team created');
    assert.match(r.body.uid, /^[a-z0-9]{14}$/);
    const g = await t.request('GET', `/api/teams/${r.body.teamId}`, t.admin);
    assert.equal(g.status, 200);
    assert.deepEqual(g.body, {
      id: r.body.teamId,
      uid: r.body.uid,
      orgId: 1,
      name: 'Alpha',
      email: 'alpha@example.com',
      isProvisioned: false,
      avatarUrl: g.body.avatarUrl,
      memberCount: 1,
      permission: 4,
    });
    assert.match(g.body.avatarUrl, /^\/avatar\/[0-9a-f]{32}$/);
  });

  it('the creator is a member with permission 4 (members[0].login == "admin")', async () => {
    const id = await createTeam('Creator check');
    const r = await t.request('GET', `/api/teams/${id}/members`, t.admin);
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 1);
    assert.equal(r.body[0].login, 'admin');
    assert.equal(r.body[0].permission, 4);
    assert.deepEqual(Object.keys(r.body[0]).sort(), ['auth_module', 'avatarUrl', 'email', 'labels', 'login', 'name', 'orgId', 'permission', 'teamId', 'teamUID', 'userId', 'userUID'].sort());
    assert.deepEqual([r.body[0].orgId, r.body[0].teamId, r.body[0].userId, r.body[0].labels], [1, id, 1, []]);
  });

  it('a duplicate name in the org is 409 "Team name taken"; another org may reuse it', async () => {
    await createTeam('Dup');
    const r = await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'Dup' } });
    assert.deepEqual([r.status, r.body.message], [409, 'Team name taken']);
    const b = await t.request('POST', '/api/teams', { ...asOrgB(), body: { name: 'Dup' } });
    assert.equal(b.status, 200);
  });

  it('malformed JSON, a missing or empty name is 400 "bad request data" and creates nothing', async () => {
    const before = (await t.request('GET', '/api/teams/search', t.admin)).body.totalCount;
    for (const rawBody of ['{"name":', '{}', '{"name":""}', '{"name":5}', '[]']) {
      const r = await t.request('POST', '/api/teams', { ...t.admin, rawBody });
      assert.deepEqual([r.status, r.body.message], [400, 'bad request data'], rawBody);
    }
    assert.equal((await t.request('GET', '/api/teams/search', t.admin)).body.totalCount, before);
  });

  it('search: query is a case-insensitive substring, perpage/page page through, name is exact (grafana-client)', async () => {
    const t2 = await startRoster();
    try {
      await t2.request('POST', '/api/teams', { ...t2.admin, body: { name: 'my team' } });
      await t2.request('POST', '/api/teams', { ...t2.admin, body: { name: 'SecondTeam' } });
      await t2.request('POST', '/api/teams', { ...t2.admin, body: { name: 'other' } });
      let r = await t2.request('GET', '/api/teams/search?query=my%20team&page=1', t2.admin);
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.totalCount, r.body.teams.length, r.body.page, r.body.perPage], [1, 1, 1, 1000]);
      const p1 = await t2.request('GET', '/api/teams/search?query=team&perpage=1&page=1', t2.admin);
      const p2 = await t2.request('GET', '/api/teams/search?query=team&perpage=1&page=2', t2.admin);
      const p3 = await t2.request('GET', '/api/teams/search?query=team&perpage=1&page=3', t2.admin);
      assert.deepEqual([p1.body.totalCount, p1.body.perPage, p1.body.teams.length, p2.body.teams.length, p3.body.teams.length], [2, 1, 1, 1, 0]);
      assert.deepEqual([p1.body.teams[0].name, p2.body.teams[0].name], ['my team', 'SecondTeam']);
      r = await t2.request('GET', '/api/teams/search?query=my%20team&page=2', t2.admin);
      assert.equal(r.body.teams.length, 0);
      r = await t2.request('GET', '/api/teams/search?name=MY%20TEAM', t2.admin);
      assert.deepEqual(
        r.body.teams.map((x: { name: string }) => x.name),
        ['my team'],
      );
      r = await t2.request('GET', '/api/teams/search?name=my', t2.admin);
      assert.equal(r.body.totalCount, 0);
      r = await t2.request('GET', '/api/teams/search?query=%25', t2.admin);
      assert.equal(r.body.totalCount, 0, 'LIKE metacharacters match literally');
      r = await t2.request('GET', '/api/teams/search?page=-5', t2.admin);
      assert.deepEqual([r.body.page, r.body.teams.length], [1, 3]);
    } finally {
      await t2.close();
    }
  });

  it('search is sorted by name, and sort=name-desc / memberCount-desc reorder it', async () => {
    const t2 = await startRoster();
    try {
      for (const name of ['b', 'A', 'c']) await t2.request('POST', '/api/teams', { ...t2.admin, body: { name } });
      const names = async (q: string) => (await t2.request('GET', `/api/teams/search${q}`, t2.admin)).body.teams.map((x: { name: string }) => x.name);
      assert.deepEqual(await names(''), ['A', 'b', 'c']);
      assert.deepEqual(await names('?sort=name-desc'), ['c', 'b', 'A']);
      const u = await t2.request('POST', '/api/admin/users', { ...t2.admin, body: { login: 'm', password: 'm-password' } });
      const c = (await t2.request('GET', '/api/teams/search?name=c', t2.admin)).body.teams[0];
      await t2.request('POST', `/api/teams/${c.id}/members`, { ...t2.admin, body: { userId: u.body.id } });
      assert.deepEqual((await names('?sort=memberCount-desc'))[0], 'c');
    } finally {
      await t2.close();
    }
  });

  it('a team created with a service-account token has no members (only users join as creator)', async () => {
    const sa = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'team bot', role: 'Admin' } });
    const tok = await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...t.admin, body: { name: 'team-bot' } });
    const id = await createTeam('Bot made', { bearer: tok.body.key });
    const g = await t.request('GET', `/api/teams/${id}`, t.admin);
    assert.deepEqual([g.body.memberCount, g.body.orgId, g.body.permission], [0, 1, 0]);
  });

  it("/api/user/teams reports the caller's permission in each team", async () => {
    await createTeam('Mine 1');
    await createTeam('Mine 2');
    const r = await t.request('GET', '/api/user/teams', t.admin);
    assert.equal(r.status, 200);
    assert.ok(r.body.length >= 2);
    assert.ok(r.body.every((x: { permission: number }) => x.permission === 4));
  });

  it('GET/PUT/DELETE /api/teams/9999 is 404 "Team not found"', async () => {
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', {}],
      ['DELETE', undefined],
    ] as const) {
      const r = await t.request(method, '/api/teams/9999', { ...t.admin, body });
      assert.deepEqual([r.status, r.body.message], [404, 'Team not found'], method);
    }
  });

  it('a non-numeric team id is 400 "teamId is invalid"', async () => {
    const r = await t.request('GET', '/api/teams/abc', t.admin);
    assert.deepEqual([r.status, r.body.message], [400, 'teamId is invalid']);
  });

  it('PUT updates name and email; PUT {} keeps the name and clears the email; a taken name is 400', async () => {
    const id = await createTeam('Before');
    await createTeam('Other');
    let r = await t.request('PUT', `/api/teams/${id}`, { ...t.admin, body: { name: 'After', email: 'a@example.com' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Team updated' }]);
    let g = (await t.request('GET', `/api/teams/${id}`, t.admin)).body;
    assert.deepEqual([g.name, g.email], ['After', 'a@example.com']);
    r = await t.request('PUT', `/api/teams/${id}`, { ...t.admin, body: { name: 'After' } });
    assert.equal(r.status, 200, 'renaming to its own name is fine');
    r = await t.request('PUT', `/api/teams/${id}`, { ...t.admin, body: {} });
    assert.equal(r.status, 200, 'an empty update changes nothing but the email');
    g = (await t.request('GET', `/api/teams/${id}`, t.admin)).body;
    assert.deepEqual([g.name, g.email], ['After', '']);
    r = await t.request('PUT', `/api/teams/${id}`, { ...t.admin, body: { name: 'Other' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Team name taken']);
    r = await t.request('PUT', `/api/teams/${id}`, { ...t.admin, rawBody: '{"name":' });
    assert.deepEqual([r.status, r.body.message], [400, 'bad request data']);
    assert.equal((await t.request('GET', `/api/teams/${id}`, t.admin)).body.name, 'After');
  });

  it('DELETE removes the team: "Team deleted", then 404', async () => {
    const id = await createTeam('Doomed');
    const r = await t.request('DELETE', `/api/teams/${id}`, t.admin);
    assert.deepEqual([r.status, r.body], [200, { message: 'Team deleted' }]);
    assert.equal((await t.request('GET', `/api/teams/${id}`, t.admin)).status, 404);
  });

  it('members: add "Member added to Team", duplicate 400, remove "Team Member removed", again 404', async () => {
    const id = await createTeam('Members');
    let r = await t.request('POST', `/api/teams/${id}/members`, { ...t.admin, body: { userId: viewerId } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Member added to Team' }]);
    r = await t.request('POST', `/api/teams/${id}/members`, { ...t.admin, body: { userId: viewerId } });
    assert.deepEqual([r.status, r.body.message], [400, 'User is already added to this team']);
    const members = (await t.request('GET', `/api/teams/${id}/members`, t.admin)).body;
    assert.deepEqual(
      members.map((m: { login: string; permission: number }) => [m.login, m.permission]),
      [
        ['admin', 4],
        ['viewer', 0],
      ],
    );
    assert.equal((await t.request('GET', `/api/teams/${id}`, t.admin)).body.memberCount, 2);
    r = await t.request('DELETE', `/api/teams/${id}/members/${viewerId}`, t.admin);
    assert.deepEqual([r.status, r.body], [200, { message: 'Team Member removed' }]);
    r = await t.request('DELETE', `/api/teams/${id}/members/${viewerId}`, t.admin);
    assert.deepEqual([r.status, r.body.message], [404, 'Team member not found']);
    r = await t.request('DELETE', `/api/teams/${id}/members/abc`, t.admin);
    assert.deepEqual([r.status, r.body.message], [400, 'userId is invalid']);
  });

  it('PUT /api/teams/:id/members/:userId sets the permission', async () => {
    const id = await createTeam('Perm');
    await t.request('POST', `/api/teams/${id}/members`, { ...t.admin, body: { userId: viewerId } });
    let r = await t.request('PUT', `/api/teams/${id}/members/${viewerId}`, { ...t.admin, body: { permission: 4 } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Team member updated' }]);
    const perm = (await t.request('GET', `/api/teams/${id}/members`, t.admin)).body.find((m: { userId: number }) => m.userId === viewerId).permission;
    assert.equal(perm, 4);
    // A team admin may manage that team without being an org admin.
    r = await t.request('PUT', `/api/teams/${id}`, { ...viewer, body: { name: 'Perm', email: 'perm@example.com' } });
    assert.equal(r.status, 200);
    r = await t.request('PUT', `/api/teams/${id}/members/9999`, { ...t.admin, body: { permission: 0 } });
    assert.deepEqual([r.status, r.body.message], [404, 'Team member not found']);
  });

  it('members must belong to the team\'s org: others are 404 "User not found"; missing userId is 400', async () => {
    const id = await createTeam('Org only');
    const outsider = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'outsider', password: 'outsider-pw', orgId: orgB } });
    await t.request('DELETE', `/api/orgs/1/users/${outsider.body.id}`, t.admin);
    let r = await t.request('POST', `/api/teams/${id}/members`, { ...t.admin, body: { userId: outsider.body.id } });
    assert.deepEqual([r.status, r.body.message], [404, 'User not found']);
    r = await t.request('POST', `/api/teams/${id}/members`, { ...t.admin, body: { userId: 99999 } });
    assert.deepEqual([r.status, r.body.message], [404, 'User not found']);
    for (const rawBody of ['{}', '{"userId":0}', '{"userId":"2"}', '{"userId":']) {
      r = await t.request('POST', `/api/teams/${id}/members`, { ...t.admin, rawBody });
      assert.deepEqual([r.status, r.body.message], [400, 'bad request data'], rawBody);
    }
    assert.equal((await t.request('GET', `/api/teams/${id}`, t.admin)).body.memberCount, 1);
  });

  it('a user removed from the org leaves its teams', async () => {
    const id = await createTeam('Leavers');
    const u = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'leaver', password: 'leaver-pw' } });
    await t.request('POST', `/api/teams/${id}/members`, { ...t.admin, body: { userId: u.body.id } });
    await t.request('DELETE', `/api/org/users/${u.body.id}`, t.admin);
    assert.equal((await t.request('GET', `/api/teams/${id}`, t.admin)).body.memberCount, 1);
  });

  it('preferences: a fresh team has {}; PUT answers "Preferences updated"', async () => {
    const id = await createTeam('Prefs');
    let r = await t.request('GET', `/api/teams/${id}/preferences`, t.admin);
    assert.deepEqual([r.status, r.body], [200, {}]);
    r = await t.request('PUT', `/api/teams/${id}/preferences`, { ...t.admin, body: { theme: 'dark', timezone: 'utc' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Preferences updated' }]);
    assert.deepEqual((await t.request('GET', `/api/teams/${id}/preferences`, t.admin)).body, { theme: 'dark', timezone: 'utc' });
    r = await t.request('GET', '/api/teams/9999/preferences', t.admin);
    assert.deepEqual([r.status, r.body.message], [404, 'Team not found']);
  });

  it("another org's team id is 404 everywhere and its data never changes", async () => {
    const b = await t.request('POST', '/api/teams', { ...asOrgB(), body: { name: 'Secret B', email: 'b@example.com' } });
    const id = b.body.teamId;
    await t.request('PUT', `/api/teams/${id}/preferences`, { ...asOrgB(), body: { theme: 'light' } });
    const calls: [string, string, unknown][] = [
      ['GET', `/api/teams/${id}`, undefined],
      ['PUT', `/api/teams/${id}`, { name: 'hijacked' }],
      ['GET', `/api/teams/${id}/members`, undefined],
      ['POST', `/api/teams/${id}/members`, { userId: viewerId }],
      ['PUT', `/api/teams/${id}/members/1`, { permission: 0 }],
      ['DELETE', `/api/teams/${id}/members/1`, undefined],
      ['GET', `/api/teams/${id}/preferences`, undefined],
      ['PUT', `/api/teams/${id}/preferences`, { theme: 'dark' }],
      ['DELETE', `/api/teams/${id}`, undefined],
    ];
    for (const [method, url, body] of calls) {
      const r = await t.request(method, url, { ...t.admin, body });
      assert.deepEqual([r.status, r.body.message], [404, 'Team not found'], `${method} ${url}`);
    }
    const search = await t.request('GET', '/api/teams/search?query=Secret', t.admin);
    assert.equal(search.body.totalCount, 0);
    const g = await t.request('GET', `/api/teams/${id}`, asOrgB());
    assert.deepEqual([g.body.name, g.body.email, g.body.memberCount], ['Secret B', 'b@example.com', 1]);
    assert.deepEqual((await t.request('GET', `/api/teams/${id}/preferences`, asOrgB())).body, { theme: 'light' });
  });

  it('a Viewer may read teams but not create or change them (RBAC 403 body)', async () => {
    const id = await createTeam('Viewer visible');
    let r = await t.request('GET', '/api/teams/search?query=Viewer%20visible', viewer);
    assert.deepEqual([r.status, r.body.totalCount], [200, 1]);
    r = await t.request('POST', '/api/teams', { ...viewer, body: { name: 'nope' } });
    assert.equal(r.status, 403);
    assert.equal(r.body.message, "You'll need additional permissions to perform this action. Permissions needed: teams:create");
    r = await t.request('PUT', `/api/teams/${id}`, { ...viewer, body: { name: 'nope' } });
    assert.deepEqual([r.status, r.body.title], [403, 'Access denied']);
    r = await t.request('POST', `/api/teams/${id}/members`, { ...viewer, body: { userId: viewerId } });
    assert.equal(r.status, 403);
    r = await t.request('DELETE', '/api/teams/9999', viewer);
    assert.equal(r.status, 403, 'the permission check comes before the lookup');
  });

  it('a caller outside the requested org gets 403 and sees no teams', async () => {
    const r = await t.request('GET', '/api/teams/search', { ...viewer, headers: { 'x-grafana-org-id': String(orgB) } });
    assert.deepEqual([r.status, r.body.title], [403, 'Access denied']);
    const p = await t.request('POST', '/api/teams', { ...viewer, body: { name: 'x' }, headers: { 'x-grafana-org-id': String(orgB) } });
    assert.equal(p.status, 403);
  });
});
