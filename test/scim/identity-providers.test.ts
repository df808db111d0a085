// The request sequences Okta and Entra ID document for their SCIM 2.0 provisioning, replayed
// against /scim/v2 with an org's SCIM token: create (after a GET by userName), deactivate and
// reactivate, replace, and group pushes with member adds and removals.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { GROUP, newUser, orgWithToken, PATCH_OP, scimClient, USER } from './fixtures.ts';

const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;

describe('SCIM as identity providers send it', () => {
  let t: TestRoster;
  let orgId: number;
  let scim: ReturnType<typeof scimClient>;
  /** The user as Grafana's admin API shows them: their orgs and disabled flag. */
  const rosterUser = async (login: string) => {
    const u = await t.request('GET', `/api/users/lookup?loginOrEmail=${encodeURIComponent(login)}`, t.admin);
    assert.equal(u.status, 200, u.text);
    const orgs = await t.request('GET', `/api/users/${u.body.id}/orgs`, t.admin);
    return { id: u.body.id as number, isDisabled: u.body.isDisabled as boolean, orgs: (orgs.body as { orgId: number }[]).map((o) => o.orgId) };
  };

  before(async () => {
    t = await startRoster();
    let token: string;
    ({ orgId, token } = await orgWithToken(t, 'Idp Org'));
    scim = scimClient(t, token);
  });
  after(() => t.close());

  it('Okta: GET by userName, POST, GET, deactivate, reactivate, PUT; groups pushed and changed', async () => {
    const userName = 'okta.user@example.com';
    let r = await scim('GET', `/Users?${q(`userName eq "${userName}"`)}&startIndex=1&count=100`);
    assert.equal(r.status, 200, r.text);
    assert.match(String(r.headers['content-type']), /^application\/scim\+json/);
    assert.deepEqual([r.body.totalResults, r.body.Resources], [0, []]);

    r = await scim('POST', '/Users', { ...newUser(userName), displayName: 'Okta User', locale: 'en-US', groups: [], password: 'not-stored-1' });
    assert.equal(r.status, 201, r.text);
    const id = r.body.id as string;
    assert.equal(r.headers.location, r.body.meta.location);
    assert.equal(r.body.userName, userName);
    assert.equal(r.body.active, true);
    assert.deepEqual(r.body.emails, [{ value: userName, type: 'work', primary: true }]);
    assert.deepEqual((await rosterUser(userName)).orgs.includes(orgId), true);

    r = await scim('GET', `/Users?${q(`userName eq "${userName.toUpperCase()}"`)}`);
    assert.deepEqual(
      r.body.Resources.map((u: { id: string }) => u.id),
      [id],
      'userName compares ignoring case',
    );
    r = await scim('GET', `/Users/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.etag, r.body.meta.version);

    // Deactivation: Okta's PATCH without a path.
    r = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.active, false);
    let roster = await rosterUser(userName);
    assert.equal(roster.orgs.includes(orgId), false, 'left the org');
    assert.equal(roster.isDisabled, true, 'in no org: disabled');
    assert.equal((await scim('GET', `/Users/${id}`)).body.active, false, 'still a SCIM user of the org');

    r = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
    assert.equal(r.body.active, true, r.text);
    roster = await rosterUser(userName);
    assert.deepEqual([roster.orgs.includes(orgId), roster.isDisabled], [true, false]);

    // Okta's PUT sends the whole user.
    r = await scim('PUT', `/Users/${id}`, { ...newUser(userName), id, name: { givenName: 'Okta', familyName: 'Renamed' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.displayName, r.body.name.givenName, r.body.name.familyName], ['Okta Renamed', 'Okta', 'Renamed']);

    // Group push.
    r = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Okta Engineering', members: [] });
    assert.equal(r.status, 201, r.text);
    const gid = r.body.id as string;
    r = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: id, display: userName }] }] });
    assert.deepEqual(
      r.body.members.map((m: { value: string }) => m.value),
      [id],
      r.text,
    );
    r = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: gid, displayName: 'Okta Eng' } }] });
    assert.equal(r.status, 400, 'id is read-only');
    r = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Okta Eng' }] });
    assert.equal(r.body.displayName, 'Okta Eng', r.text);
    r = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }] });
    assert.deepEqual(r.body.members, [], r.text);
    // The team is a Roster team of the org.
    const teams = await t.request('GET', '/api/teams/search?name=Okta%20Eng', { ...t.admin, headers: { 'x-grafana-org-id': String(orgId) } });
    assert.equal(teams.body.totalCount, 1, teams.text);
    assert.equal((await scim('DELETE', `/Groups/${gid}`)).status, 204);
    assert.equal((await scim('GET', `/Groups/${gid}`)).status, 404);
  });

  it('Entra ID: POST with externalId, string booleans, path-less replace, groups by externalId with Add/Remove members', async () => {
    const userName = 'entra.user@contoso.example';
    let r = await scim('GET', `/Users?${q(`userName eq "${userName}"`)}`);
    assert.equal(r.body.totalResults, 0);
    r = await scim('POST', '/Users', {
      schemas: [USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: 'f1a2b3c4',
      userName,
      active: true,
      displayName: 'Entra User',
      emails: [{ primary: true, type: 'work', value: userName }],
      name: { formatted: 'Entra User', familyName: 'User', givenName: 'Entra' },
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Finance' },
    });
    assert.equal(r.status, 201, r.text);
    const id = r.body.id as string;
    assert.equal(r.body.externalId, 'f1a2b3c4');
    r = await scim('GET', `/Users?${q('externalId eq "f1a2b3c4"')}`);
    assert.deepEqual(
      r.body.Resources.map((u: { id: string }) => u.id),
      [id],
    );
    assert.equal((await scim('GET', `/Users?${q('externalId eq "F1A2B3C4"')}`)).body.totalResults, 0, 'externalId is case-exact');

    // Entra's PATCH: capitalized ops, string booleans, a path-less replace naming sub-attributes.
    r = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Replace', value: { 'name.givenName': 'Entrance', 'name.familyName': 'Userson' } },
      ],
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.active, r.body.displayName], [false, 'Entrance Userson']);
    r = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'active', value: 'True' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'entra.renamed@contoso.example' },
        { op: 'Add', path: 'externalId', value: 'f1a2b3c5' },
      ],
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.active, r.body.emails[0].value, r.body.externalId], [true, 'entra.renamed@contoso.example', 'f1a2b3c5']);

    r = await scim('POST', '/Groups', { schemas: [GROUP], externalId: 'grp-1', displayName: 'Entra Finance', members: [] });
    assert.equal(r.status, 201, r.text);
    const gid = r.body.id as string;
    r = await scim('GET', `/Groups?${q('displayName eq "entra finance"')}&excludedAttributes=members`);
    assert.deepEqual(
      r.body.Resources.map((g: { id: string; members?: unknown }) => [g.id, g.members]),
      [[gid, undefined]],
      r.text,
    );
    assert.equal((await scim('GET', `/Groups?${q('externalId eq "grp-1"')}`)).body.totalResults, 1);
    r = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: id }] }] });
    assert.equal(r.body.members.length, 1, r.text);
    assert.equal((await scim('GET', `/Groups?${q(`members.value eq "${id}"`)}`)).body.totalResults, 1);
    r = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ value: id }] }] });
    assert.deepEqual(r.body.members, [], r.text);

    assert.equal((await scim('DELETE', `/Users/${id}`)).status, 204);
    assert.equal((await scim('GET', `/Users/${id}`)).status, 404);
    const roster = await rosterUser('entra.renamed@contoso.example');
    assert.deepEqual([roster.orgs.includes(orgId), roster.isDisabled], [false, true], 'the Roster user stays, disabled');
  });

  it('pages with startIndex and count, and filters with co, sw, pr, and, or', async () => {
    for (const n of [1, 2, 3, 4, 5]) assert.equal((await scim('POST', '/Users', newUser(`pager${n}@example.org`))).status, 201);
    const all = await scim('GET', `/Users?${q('userName sw "pager"')}`);
    assert.equal(all.body.totalResults, 5);
    const page = await scim('GET', `/Users?${q('userName sw "pager"')}&startIndex=2&count=2`);
    assert.deepEqual([page.body.totalResults, page.body.startIndex, page.body.itemsPerPage], [5, 2, 2]);
    assert.deepEqual(
      page.body.Resources.map((u: { userName: string }) => u.userName),
      ['pager2@example.org', 'pager3@example.org'],
    );
    const unfiltered = await scim('GET', '/Users?startIndex=1&count=1');
    assert.equal(unfiltered.body.itemsPerPage, 1);
    assert.ok(unfiltered.body.totalResults >= 5);
    const none = await scim('GET', '/Users?count=0');
    assert.deepEqual([none.body.itemsPerPage, none.body.Resources], [0, []]);
    const or = await scim('GET', `/Users?${q('userName eq "pager1@example.org" or emails.value co "pager5"')}`);
    assert.equal(or.body.totalResults, 2);
    const and = await scim('GET', `/Users?${q('userName sw "pager" and externalId pr')}`);
    assert.equal(and.body.totalResults, 0);
    const emails = await scim('GET', `/Users?${q('emails[type eq "work" and value eq "pager4@example.org"]')}&attributes=emails.value`);
    assert.equal(emails.body.totalResults, 1);
    assert.deepEqual(emails.body.Resources[0].emails, [{ value: 'pager4@example.org' }]);
    assert.equal(emails.body.Resources[0].userName, undefined);
  });

  it('describes itself: ServiceProviderConfig, ResourceTypes, Schemas', async () => {
    const spc = await scim('GET', '/ServiceProviderConfig');
    assert.deepEqual([spc.body.patch.supported, spc.body.filter.supported, spc.body.etag.supported, spc.body.bulk.supported], [true, true, true, false]);
    const types = await scim('GET', '/ResourceTypes');
    assert.deepEqual(
      types.body.Resources.map((r: { id: string }) => r.id),
      ['User', 'Group'],
    );
    const schemas = await scim('GET', '/Schemas');
    assert.ok(schemas.body.Resources.some((s: { id: string }) => s.id === USER));
  });
});
