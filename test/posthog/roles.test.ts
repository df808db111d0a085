// PostHog's organization roles (docs/compat/posthog.md#roles): /roles/ and
// /roles/<id>/role_memberships/ over Roster's custom roles, with DRF paging and errors. A role's
// members hold its permissions on every face; plain members, outsiders and another org's role ids
// are refused; refused requests change nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dumpTables } from '../helpers/dump.ts';
import { FORBIDDEN, NOT_FOUND, invalid, makeKey, startFixture, type Fixture } from './fixture.ts';

describe('PostHog /api/organizations/:id/roles/ and role_memberships', () => {
  let f: Fixture;
  let base: string;
  const refused = async (status: number, body: unknown, call: () => Promise<{ status: number; text: string; body: any }>) => {
    const before = await dumpTables(f.t.roster.ctx.db);
    const r = await call();
    assert.deepEqual([r.status, r.body], [status, body], r.text);
    assert.equal(await dumpTables(f.t.roster.ctx.db), before);
  };
  /** The Grafana face's 403 names the permission (and a random error id). */
  const grafanaDenied = async (permission: string, call: () => Promise<{ status: number; text: string; body: any }>) => {
    const r = await call();
    assert.equal(r.status, 403, r.text);
    assert.match(r.body.message, new RegExp(`Permissions needed: ${permission}$`));
  };

  before(async () => {
    f = await startFixture();
    base = `/api/organizations/${f.acme.uuid}/roles`;
  });
  after(() => f.t.close());

  it('an admin creates, lists, renames and deletes roles with PostHog fields and paging', async () => {
    const created = await f.t.request('POST', `${base}/`, { ...f.admin.creds, body: { name: 'Engineers' } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(Object.keys(created.body), ['id', 'name', 'created_at', 'created_by', 'members', 'is_default']);
    assert.match(created.body.id, /^[0-9a-f-]{36}$/);
    assert.equal((await f.t.request('POST', `${base}/`, { ...f.admin.creds, body: { name: 'Support' } })).status, 201);
    const page = await f.t.request('GET', `${base}/?limit=1`, f.admin.creds);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.body.count, 2);
    assert.equal(page.body.results.length, 1);
    assert.match(page.body.next, /offset=1/);
    const renamed = await f.t.request('PATCH', `${base}/${created.body.id}/`, { ...f.admin.creds, body: { name: 'Engineering' } });
    assert.deepEqual([renamed.status, renamed.body.name], [200, 'Engineering']);
    // The same role on the Grafana face.
    const grafana = await f.t.request('GET', `/api/access-control/roles/${created.body.id}`, { ...f.admin.creds, headers: { 'x-grafana-org-id': String(f.acme.id) } });
    assert.deepEqual([grafana.status, grafana.body.name], [200, 'Engineering']);
    assert.equal((await f.t.request('DELETE', `${base}/${created.body.id}/`, f.admin.creds)).status, 204);
    await refused(404, NOT_FOUND, () => f.t.request('GET', `${base}/${created.body.id}/`, f.admin.creds));
  });

  it('bad names are DRF 400s; members, outsiders and keys without the scope are refused; store unchanged', async () => {
    await refused(400, invalid('required', 'This field is required.', 'name'), () => f.t.request('POST', `${base}/`, { ...f.admin.creds, body: {} }));
    assert.equal((await f.t.request('POST', `${base}/`, { ...f.admin.creds, body: { name: 'Unique' } })).status, 201);
    await refused(400, invalid('unique', 'There is already a role with this name.', 'name'), () => f.t.request('POST', `${base}/`, { ...f.admin.creds, body: { name: 'Unique' } }));
    await refused(403, FORBIDDEN, () => f.t.request('POST', `${base}/`, { ...f.member.creds, body: { name: 'Mine' } }));
    await refused(403, FORBIDDEN, () => f.t.request('GET', `${base}/`, f.outsider.creds));
    const readOnly = await makeKey(f.t, f.admin.creds, ['organization:read']);
    assert.equal((await f.t.request('GET', `${base}/`, { bearer: readOnly })).status, 200);
    const write = await f.t.request('POST', `${base}/`, { bearer: readOnly, body: { name: 'Keyed' } });
    assert.equal(write.status, 403, write.text);
  });

  it("memberships: add by user_uuid, list, remove; the member holds the role's permissions on the Grafana face", async () => {
    const role = (await f.t.request('POST', `${base}/`, { ...f.admin.creds, body: { name: 'Team readers' } })).body;
    const inAcme = { headers: { 'x-grafana-org-id': String(f.acme.id) } };
    // Give the role a permission on the Grafana face, where permissions are edited.
    const put = await f.t.request('PUT', `/api/access-control/roles/${role.id}`, { ...f.admin.creds, ...inAcme, body: { version: 2, permissions: [{ action: 'org.users:read', scope: 'users:*' }] } });
    assert.equal(put.status, 200, put.text);
    const url = `${base}/${role.id}/role_memberships/`;
    await grafanaDenied('org.users:read', () => f.t.request('GET', '/api/org/users', { ...f.member.creds, ...inAcme }));
    const added = await f.t.request('POST', url, { ...f.admin.creds, body: { user_uuid: f.member.uuid } });
    assert.equal(added.status, 201, added.text);
    assert.deepEqual([added.body.id, added.body.role_id, added.body.user.uuid], [f.member.uuid, role.id, f.member.uuid]);
    assert.equal((await f.t.request('GET', '/api/org/users', { ...f.member.creds, ...inAcme })).status, 200);
    await refused(400, invalid('unique', 'User is already part of the role.', 'user_uuid'), () => f.t.request('POST', url, { ...f.admin.creds, body: { user_uuid: f.member.uuid } }));
    await refused(400, invalid('invalid_input', 'User does not exist or is not a member of this organization.', 'user_uuid'), () =>
      f.t.request('POST', url, { ...f.admin.creds, body: { user_uuid: f.outsider.uuid } }),
    );
    const listed = await f.t.request('GET', url, f.admin.creds);
    assert.deepEqual([listed.body.count, listed.body.results[0].user.uuid], [1, f.member.uuid]);
    assert.equal((await f.t.request('GET', `${base}/${role.id}/`, f.admin.creds)).body.members.length, 1);
    assert.equal((await f.t.request('DELETE', `${url}${f.member.uuid}/`, f.admin.creds)).status, 204);
    await grafanaDenied('org.users:read', () => f.t.request('GET', '/api/org/users', { ...f.member.creds, ...inAcme }));
    await refused(404, NOT_FOUND, () => f.t.request('DELETE', `${url}${f.member.uuid}/`, f.admin.creds));
  });

  it('plain members read roles and their memberships, as PostHog lets them, and change nothing (403 before the body is read)', async () => {
    const role = (await f.t.request('POST', `${base}/`, { ...f.admin.creds, body: { name: 'Readable' } })).body;
    assert.equal((await f.t.request('POST', `${base}/${role.id}/role_memberships/`, { ...f.admin.creds, body: { user_uuid: f.admin.uuid } })).status, 201);
    const list = await f.t.request('GET', `${base}/?limit=100`, f.member.creds);
    assert.equal(list.status, 200, list.text);
    const listed = list.body.results.find((r: { id: string }) => r.id === role.id);
    assert.deepEqual(
      listed.members.map((m: { user: { uuid: string } }) => m.user.uuid),
      [f.admin.uuid],
    );
    const one = await f.t.request('GET', `${base}/${role.id}/`, f.member.creds);
    assert.deepEqual([one.status, one.body.name], [200, 'Readable']);
    const memberships = await f.t.request('GET', `${base}/${role.id}/role_memberships/`, f.member.creds);
    assert.deepEqual([memberships.status, memberships.body.count], [200, 1]);
    // Reading is not a way into the Grafana face's role API.
    await grafanaDenied('roles:read', () => f.t.request('GET', '/api/access-control/roles', { ...f.member.creds, headers: { 'x-grafana-org-id': String(f.acme.id) } }));
    await refused(403, FORBIDDEN, () => f.t.request('PATCH', `${base}/${role.id}/`, { ...f.member.creds, body: {} }));
    await refused(403, FORBIDDEN, () => f.t.request('PATCH', `${base}/${role.id}/`, { ...f.member.creds, body: { name: 'Mine now' } }));
    await refused(403, FORBIDDEN, () => f.t.request('DELETE', `${base}/${role.id}/`, f.member.creds));
    await refused(403, FORBIDDEN, () => f.t.request('POST', `${base}/`, { ...f.member.creds, body: {} }));
    await refused(403, FORBIDDEN, () => f.t.request('POST', `${base}/${role.id}/role_memberships/`, { ...f.member.creds, body: { user_uuid: f.member.uuid } }));
    await refused(403, FORBIDDEN, () => f.t.request('DELETE', `${base}/${role.id}/role_memberships/${f.admin.uuid}/`, f.member.creds));
    // Outsiders read nothing; another org's member is not a member here.
    await refused(403, FORBIDDEN, () => f.t.request('GET', `${base}/${role.id}/`, f.outsider.creds));
    await refused(403, FORBIDDEN, () => f.t.request('GET', `${base}/${role.id}/role_memberships/`, f.outsider.creds));
  });

  it("another org's role id is 404 here, store unchanged", async () => {
    const other = await f.t.request('POST', '/api/organizations/', { ...f.outsider.creds, body: { name: 'Other Co' } });
    const foreign = await f.t.request('POST', `/api/organizations/${other.body.id}/roles/`, { ...f.outsider.creds, body: { name: 'Theirs' } });
    assert.equal(foreign.status, 201, foreign.text);
    await refused(404, NOT_FOUND, () => f.t.request('GET', `${base}/${foreign.body.id}/`, f.admin.creds));
    await refused(404, NOT_FOUND, () => f.t.request('DELETE', `${base}/${foreign.body.id}/`, f.admin.creds));
    await refused(404, NOT_FOUND, () => f.t.request('POST', `${base}/${foreign.body.id}/role_memberships/`, { ...f.admin.creds, body: { user_uuid: f.member.uuid } }));
  });
});
