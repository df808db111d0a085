// docs/compat/oncall.md#teams: teams list (page size 50, exact name filter) and retrieve, scoped to the org.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { makeOrg, makeTeam, makeToken } from './fixtures.ts';

const TEAM_ID = /^T[A-NP-Z1-9]{12}$/;

describe('OnCall /api/v1/teams', () => {
  let t: TestRoster;
  let token: string;
  let a: { id: number; publicId: string };
  before(async () => {
    t = await startRoster();
    token = await makeToken(t, 1, 'Viewer');
    await makeTeam(t, 1, 'Team B');
    a = await makeTeam(t, 1, 'Team A');
  });
  after(() => t.close());

  const teamA = () => ({
    id: a.publicId,
    grafana_id: a.id,
    name: 'Team A',
    email: '',
    avatar_url: '/avatar/' + createHash('md5').update('team a').digest('hex'),
  });

  it('lists in creation order with the team object, page size 50 (no trailing slash, as the Go client sends)', async () => {
    const r = await t.request('GET', '/api/v1/teams?page=1', { raw: token });
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.results.map((x: { name: string }) => x.name),
      ['Team B', 'Team A'],
    );
    assert.deepEqual(r.body.results[1], teamA());
    assert.deepEqual(Object.keys(r.body.results[1]), ['id', 'grafana_id', 'name', 'email', 'avatar_url']);
    assert.deepEqual([r.body.count, r.body.page_size, r.body.total_pages], [2, 50, 1]);
    for (const x of r.body.results) assert.match(x.id, TEAM_ID);
  });

  it('name is an exact, case-sensitive filter', async () => {
    let r = await t.request('GET', '/api/v1/teams?name=Team%20A', { raw: token });
    assert.deepEqual(r.body.results, [teamA()]);
    r = await t.request('GET', '/api/v1/teams?name=team+a', { raw: token });
    assert.equal(r.body.count, 0);
    r = await t.request('GET', '/api/v1/teams?name=Team', { raw: token });
    assert.equal(r.body.count, 0);
    r = await t.request('GET', '/api/v1/teams?name=', { raw: token });
    assert.equal(r.body.count, 2);
  });

  it('retrieve by public id; name still applies; unknown and other-org ids are 404', async () => {
    let r = await t.request('GET', `/api/v1/teams/${a.publicId}/`, { raw: token });
    assert.deepEqual([r.status, r.body], [200, teamA()]);
    r = await t.request('GET', `/api/v1/teams/${a.publicId}/?name=Team%20B`, { raw: token });
    assert.deepEqual([r.status, r.body], [404, { detail: 'Not found.' }]);
    const other = await makeOrg(t, 'Other');
    const foreign = await makeTeam(t, other, 'Team A');
    for (const id of [foreign.publicId, 'TAAM1K1NNEHAG', String(a.id)]) {
      r = await t.request('GET', `/api/v1/teams/${id}`, { raw: token });
      assert.deepEqual([r.status, r.body], [404, { detail: 'Not found.' }], id);
    }
    const otherToken = await makeToken(t, other, 'Viewer');
    r = await t.request('GET', '/api/v1/teams', { raw: otherToken });
    assert.deepEqual(
      r.body.results.map((x: { id: string }) => x.id),
      [foreign.publicId],
    );
  });

  it('paginates by 50 and by perpage', async () => {
    const r = await t.request('GET', '/api/v1/teams/?perpage=1&page=2', { raw: token });
    assert.deepEqual(
      r.body.results.map((x: { name: string }) => x.name),
      ['Team A'],
    );
    assert.equal(r.body.previous, 'http://roster.test/api/v1/teams/?perpage=1');
    assert.equal(r.body.next, null);
  });

  it('role None has no access; methods a route lacks are 405', async () => {
    const none = await makeToken(t, 1, 'None');
    let r = await t.request('GET', '/api/v1/teams', { raw: none });
    assert.deepEqual([r.status, r.body], [403, { detail: 'You do not have permission to perform this action.' }]);
    r = await t.request('POST', '/api/v1/teams', { raw: token, body: { name: 'x' } });
    assert.deepEqual([r.status, r.body], [405, { detail: 'Method "POST" not allowed.' }]);
    r = await t.request('DELETE', `/api/v1/teams/${a.publicId}`, { raw: token });
    assert.deepEqual([r.status, r.body], [405, { detail: 'Method "DELETE" not allowed.' }]);
  });
});
