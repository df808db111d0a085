// One store, every face: what the PostHog face changes, the Grafana face sees at once, and back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeKey, NOT_FOUND, orgNumericId, startFixture, type Fixture } from './fixture.ts';

describe('PostHog and Grafana faces share one store', () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(() => f.t.close());

  it('rename via PATCH here -> GET /api/orgs/:id there sees it', async () => {
    const r = await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { ...f.owner.creds, body: { name: 'Acme Renamed Here' } });
    assert.equal(r.status, 200);
    const g = await f.t.request('GET', `/api/orgs/${f.acme.id}`, f.t.admin);
    assert.equal(g.body.name, 'Acme Renamed Here');
    await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { ...f.owner.creds, body: { name: 'Acme' } });
  });

  it('rename there -> visible here; Grafana name uniqueness holds here', async () => {
    const g = await f.t.request('PUT', `/api/orgs/${f.acme.id}`, { ...f.t.admin, body: { name: 'Acme From Grafana' } });
    assert.equal(g.status, 200);
    assert.equal((await f.t.request('GET', `/api/organizations/${f.acme.uuid}/`, f.member.creds)).body.name, 'Acme From Grafana');
    const clash = await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { ...f.owner.creds, body: { name: 'Main Org.' } });
    assert.equal(clash.status, 400);
    assert.equal((await f.t.request('GET', `/api/orgs/${f.acme.id}`, f.t.admin)).body.name, 'Acme From Grafana');
    await f.t.request('PUT', `/api/orgs/${f.acme.id}`, { ...f.t.admin, body: { name: 'Acme' } });
  });

  it('create via POST /api/orgs there -> visible here with the creator as owner', async () => {
    const g = await f.t.request('POST', '/api/orgs', { ...f.member.creds, body: { name: 'Made In Grafana' } });
    assert.equal(g.status, 200, g.text);
    const list = await f.t.request('GET', '/api/organizations/', f.member.creds);
    const org = list.body.results.find((o: any) => o.name === 'Made In Grafana');
    assert.equal(org.membership_level, 15);
    assert.equal(org.slug, 'made-in-grafana');
    assert.equal(await orgNumericId(f.t, org.id), g.body.orgId);
  });

  it('create here -> visible there, creator Admin', async () => {
    const r = await f.t.request('POST', '/api/organizations/', { ...f.member.creds, body: { name: 'Made In PostHog' } });
    const id = await orgNumericId(f.t, r.body.id);
    const g = await f.t.request('GET', `/api/orgs/${id}`, f.t.admin);
    assert.equal(g.body.name, 'Made In PostHog');
    const users = await f.t.request('GET', `/api/orgs/${id}/users`, f.t.admin);
    assert.deepEqual(
      users.body.map((u: any) => [u.login, u.role]),
      [['mia', 'Admin']],
    );
  });

  it('delete here -> 404 there', async () => {
    const r = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body: { name: 'Short Lived' } });
    const id = await orgNumericId(f.t, r.body.id);
    assert.equal((await f.t.request('DELETE', `/api/organizations/${r.body.id}/`, f.owner.creds)).status, 204);
    const g = await f.t.request('GET', `/api/orgs/${id}`, f.t.admin);
    assert.equal(g.status, 404);
  });

  it('delete there -> 404 here', async () => {
    const r = await f.t.request('POST', '/api/organizations/', { ...f.t.admin, body: { name: 'Deleted There' } });
    const id = await orgNumericId(f.t, r.body.id);
    // Creating it made it the admin's current org, which Grafana will not delete.
    assert.equal((await f.t.request('POST', '/api/user/using/1', f.t.admin)).status, 200);
    assert.equal((await f.t.request('DELETE', `/api/orgs/${id}`, f.t.admin)).status, 200);
    assert.deepEqual((await f.t.request('GET', `/api/organizations/${r.body.id}/`, f.t.admin)).body, NOT_FOUND);
  });

  it('a level change here is a role there; a role change there is a level here', async () => {
    const url = `/api/organizations/${f.acme.uuid}/members/${f.member.uuid}/`;
    await f.t.request('PATCH', url, { ...f.owner.creds, body: { level: 8 } });
    let users = await f.t.request('GET', `/api/orgs/${f.acme.id}/users`, f.t.admin);
    assert.equal(users.body.find((u: any) => u.login === 'mia').role, 'Admin');
    await f.t.request('PATCH', `/api/orgs/${f.acme.id}/users/${f.member.id}`, { ...f.t.admin, body: { role: 'Editor' } });
    const m = await f.t.request('GET', `/api/organizations/${f.acme.uuid}/members/?email=mia@example.com`, f.owner.creds);
    assert.equal(m.body.results[0].level, 1);
    users = await f.t.request('GET', `/api/orgs/${f.acme.id}/users`, f.t.admin);
    assert.equal(users.body.find((u: any) => u.login === 'mia').role, 'Editor');
  });

  it('a member removed there is gone here; one removed here is gone there', async () => {
    const tmp = await f.t.request('POST', '/api/admin/users', { ...f.t.admin, body: { login: 'temp', email: 'temp@example.com', password: 'temp-password' } });
    await f.t.request('POST', `/api/orgs/${f.acme.id}/users`, { ...f.t.admin, body: { loginOrEmail: 'temp', role: 'Viewer' } });
    const uuid = (await f.t.request('GET', '/api/users/@me/', { basic: ['temp', 'temp-password'] })).body.uuid;
    assert.equal((await f.t.request('DELETE', `/api/organizations/${f.acme.uuid}/members/${uuid}/`, f.admin.creds)).status, 204);
    let users = await f.t.request('GET', `/api/orgs/${f.acme.id}/users`, f.t.admin);
    assert.ok(!users.body.some((u: any) => u.login === 'temp'));
    await f.t.request('POST', `/api/orgs/${f.acme.id}/users`, { ...f.t.admin, body: { loginOrEmail: 'temp', role: 'Viewer' } });
    await f.t.request('DELETE', `/api/orgs/${f.acme.id}/users/${tmp.body.id}`, f.t.admin);
    const m = await f.t.request('GET', `/api/organizations/${f.acme.uuid}/members/?email=temp@example.com`, f.owner.creds);
    assert.equal(m.body.count, 0);
    users = await f.t.request('GET', `/api/orgs/${f.acme.id}/users`, f.t.admin);
    assert.ok(!users.body.some((u: any) => u.login === 'temp'));
  });

  it('/api/users/@me/ lists the same orgs as Grafana /api/user/orgs', async () => {
    const me = await f.t.request('GET', '/api/users/@me/', f.owner.creds);
    const g = await f.t.request('GET', '/api/user/orgs', f.owner.creds);
    assert.deepEqual(me.body.organizations.map((o: any) => o.name).sort(), g.body.map((o: any) => o.name).sort());
    assert.equal(me.body.organization.name, 'Main Org.');
    assert.equal(me.body.email, 'olivia@example.com');
    assert.equal(me.body.is_staff, false);
  });

  it('a personal key works only here; a Grafana service-account token is not a PostHog credential', async () => {
    const key = await makeKey(f.t, f.owner.creds, ['*']);
    assert.equal((await f.t.request('GET', `/api/orgs/${f.acme.id}`, { bearer: key })).status, 401);
    assert.equal((await f.t.request('GET', `/api/organizations/${f.acme.uuid}/`, { bearer: key })).status, 200);
  });
});

describe('PostHog /api/users/@me/', () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(() => f.t.close());

  it('GET shows the user, the current org in full and every org in brief', async () => {
    const r = await f.t.request('GET', '/api/users/@me/', f.admin.creds);
    assert.equal(r.status, 200);
    assert.equal(r.body.uuid, f.admin.uuid);
    assert.equal(r.body.id, f.admin.id);
    assert.equal(r.body.has_password, true);
    assert.equal(r.body.organization.membership_level, 1);
    assert.deepEqual(
      r.body.organizations.map((o: any) => [o.name, o.membership_level]),
      [
        ['Main Org.', 1],
        ['Acme', 8],
      ],
    );
    assert.deepEqual(Object.keys(r.body.organizations[0]), [
      'id',
      'name',
      'slug',
      'logo_media_id',
      'membership_level',
      'members_can_use_personal_api_keys',
      'is_active',
      'is_not_active_reason',
      'is_pending_deletion',
    ]);
  });

  it("PATCH set_current_organization moves @current (and Grafana's current org)", async () => {
    let r = await f.t.request('PATCH', '/api/users/@me/', { ...f.admin.creds, body: { set_current_organization: f.acme.uuid } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.organization.name, 'Acme');
    assert.equal((await f.t.request('GET', '/api/organizations/@current/', f.admin.creds)).body.name, 'Acme');
    assert.equal((await f.t.request('GET', '/api/org', f.admin.creds)).body.name, 'Acme');
    const theirs = await f.t.request('POST', '/api/organizations/', { ...f.outsider.creds, body: { name: 'Not Adams' } });
    for (const value of [theirs.body.id, 'nope']) {
      r = await f.t.request('PATCH', '/api/users/@me/', { ...f.admin.creds, body: { set_current_organization: value } });
      assert.deepEqual([r.status, r.body], [400, { type: 'validation_error', code: 'does_not_exist', detail: `Object with id=${value} does not exist.`, attr: 'set_current_organization' }]);
    }
    const key = await makeKey(f.t, f.admin.creds, ['user:read']);
    r = await f.t.request('PATCH', '/api/users/@me/', { bearer: key, body: { set_current_organization: f.acme.uuid } });
    assert.deepEqual([r.status, r.body.detail], [403, "API key missing required scope 'user:write'"]);
  });
});
