// docs/compat/posthog.md#integrations: org integrations (list, get, delete, environment mapping), created
// through Roster's native API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { denied, FORBIDDEN, invalid, makeKey, NOT_FOUND, startFixture, type Fixture } from './fixture.ts';

describe('PostHog org integrations', () => {
  let f: Fixture;
  let base: string;
  let marketplace: any;
  let connectable: any;
  let teamIds: number[];
  const create = (creds: object, orgId: number | string, body: unknown) => f.t.request('POST', `/api/roster/v1/orgs/${orgId}/integrations`, { ...creds, body });

  before(async () => {
    f = await startFixture();
    base = `/api/organizations/${f.acme.uuid}/integrations`;
    let r = await create(f.owner.creds, f.acme.id, { kind: 'vercel', integrationId: 'icfg_1', config: { billing: 'vercel' }, sensitiveConfig: { credentials: { access_token: 'secret' } } });
    assert.equal(r.status, 201, r.text);
    marketplace = r.body;
    r = await create(f.admin.creds, f.acme.uuid, { kind: 'vercel', integrationId: 'icfg_2', config: { type: 'connectable' } });
    assert.equal(r.status, 201, r.text);
    connectable = r.body;
    // Roster's teams stand in for PostHog projects in environment mappings.
    const ts = new Date().toISOString();
    teamIds = [];
    for (const name of ['prod', 'preview']) {
      const row = await f.t.roster.ctx.db
        .insertInto('teams')
        .values({ uid: `t-${name}`, public_id: `T${name.toUpperCase()}XXXXXXX`, org_id: f.acme.id, name, created_at: ts, updated_at: ts })
        .returning('id')
        .executeTakeFirstOrThrow();
      teamIds.push(row.id);
    }
  });
  after(() => f.t.close());

  it('native create: org admins only, kinds validated, duplicates 409', async () => {
    let r = await create(f.member.creds, f.acme.id, { kind: 'vercel' });
    assert.equal(r.status, 403);
    r = await create(f.outsider.creds, f.acme.id, { kind: 'vercel' });
    assert.equal(r.status, 403);
    r = await create(f.owner.creds, f.acme.id, { kind: 'vercel', integrationId: 'icfg_1' });
    assert.deepEqual([r.status, r.body.error.code], [409, 'integration.exists']);
    r = await create(f.owner.creds, f.acme.id, { kind: 'Bad Kind!' });
    assert.equal(r.status, 400);
    r = await create(f.owner.creds, f.acme.id, { kind: 'vercel', config: [1] });
    assert.equal(r.status, 400);
    r = await create(f.owner.creds, 999999, { kind: 'vercel' });
    assert.equal(r.status, 404);
    r = await create(f.t.admin, f.acme.id, { kind: 'aws-marketplace' });
    assert.equal(r.status, 201, 'server admins may');
    await f.t.roster.ctx.db.deleteFrom('integrations').where('id', '=', r.body.id).execute();
  });

  it('members list and get; sensitive config never shown', async () => {
    const r = await f.t.request('GET', `${base}/`, f.member.creds);
    assert.equal(r.status, 200);
    assert.equal(r.body.count, 2);
    const one = r.body.results.find((i: any) => i.id === marketplace.id);
    assert.deepEqual(Object.keys(one), ['id', 'kind', 'integration_id', 'config', 'created_at', 'updated_at', 'created_by']);
    assert.deepEqual(one.config, { billing: 'vercel' });
    assert.equal(one.integration_id, 'icfg_1');
    assert.equal(one.created_by.email, 'olivia@example.com');
    assert.ok(!r.text.includes('secret'));
    const g = await f.t.request('GET', `${base}/${connectable.id}/`, f.member.creds);
    assert.equal(g.status, 200);
    assert.deepEqual(g.body.config, { type: 'connectable' });
  });

  it('unknown, malformed and other orgs ids are 404; outsiders 403', async () => {
    for (const id of ['00000000-0000-7000-8000-000000000000', 'nope']) {
      const r = await f.t.request('GET', `${base}/${id}/`, f.owner.creds);
      assert.deepEqual([r.status, r.body], [404, NOT_FOUND], id);
    }
    const other = await f.t.request('POST', '/api/organizations/', { ...f.outsider.creds, body: { name: 'Oscar Org' } });
    let r = await f.t.request('GET', `/api/organizations/${other.body.id}/integrations/${marketplace.id}/`, f.outsider.creds);
    assert.equal(r.status, 404);
    r = await f.t.request('GET', `${base}/`, f.outsider.creds);
    assert.deepEqual([r.status, r.body], [403, FORBIDDEN]);
  });

  it('POST on the list and PATCH/PUT on one are 405', async () => {
    assert.equal((await f.t.request('POST', `${base}/`, { ...f.owner.creds, body: {} })).status, 405);
    assert.equal((await f.t.request('PATCH', `${base}/${marketplace.id}/`, { ...f.owner.creds, body: {} })).status, 405);
    assert.equal((await f.t.request('PUT', `${base}/${marketplace.id}/`, { ...f.owner.creds, body: {} })).status, 405);
  });

  it('environment mapping: admins only, connectable only, body validated, projects of this org', async () => {
    const url = `${base}/${connectable.id}/environment-mapping/`;
    let r = await f.t.request('PATCH', url, { ...f.member.creds, body: { production: teamIds[0] } });
    assert.deepEqual([r.status, r.body], [403, denied('Your organization access level is insufficient.')]);
    r = await f.t.request('PATCH', `${base}/${marketplace.id}/environment-mapping/`, { ...f.admin.creds, body: { production: teamIds[0] } });
    assert.deepEqual([r.status, r.body], [400, { detail: 'Environment mapping is only supported for connectable integrations.' }]);
    r = await f.t.request('PATCH', url, { ...f.admin.creds, body: {} });
    assert.deepEqual([r.status, r.body], [400, invalid('required', 'This field is required.', 'production')]);
    r = await f.t.request('PATCH', url, { ...f.admin.creds, body: { production: 'x' } });
    assert.deepEqual([r.status, r.body], [400, invalid('invalid_input', 'A valid integer is required.', 'production')]);
    r = await f.t.request('PATCH', url, { ...f.admin.creds, body: { production: 987654 } });
    assert.deepEqual([r.status, r.body], [400, { detail: 'Project 987654 does not belong to this organization.' }]);
    r = await f.t.request('PATCH', url, { ...f.admin.creds, body: { production: 99999999999 } });
    assert.equal(r.status, 400);
    r = await f.t.request('PATCH', url, { ...f.admin.creds, body: { production: teamIds[0], preview: teamIds[1], staging: 5 } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.config, { type: 'connectable', environment_mapping: { production: teamIds[0], preview: teamIds[1], development: teamIds[0] } });
    const g = await f.t.request('GET', `${base}/${connectable.id}/`, f.member.creds);
    assert.deepEqual(g.body.config.environment_mapping, { production: teamIds[0], preview: teamIds[1], development: teamIds[0] });
    r = await f.t.request('PATCH', `${base}/00000000-0000-7000-8000-000000000000/environment-mapping/`, { ...f.admin.creds, body: { production: teamIds[0] } });
    assert.equal(r.status, 404);
  });

  it('environment mapping is refused to personal API keys, even with *', async () => {
    const key = await makeKey(f.t, f.owner.creds, ['*']);
    const r = await f.t.request('PATCH', `${base}/${connectable.id}/environment-mapping/`, { bearer: key, body: { production: teamIds[0] } });
    assert.deepEqual([r.status, r.body], [403, denied('This action does not support Personal API Key access')]);
  });

  it('DELETE: members 403, admins 204, then 404', async () => {
    const url = `${base}/${marketplace.id}/`;
    let r = await f.t.request('DELETE', url, f.member.creds);
    assert.deepEqual([r.status, r.body], [403, denied('Your organization access level is insufficient.')]);
    r = await f.t.request('DELETE', url, f.admin.creds);
    assert.equal(r.status, 204);
    r = await f.t.request('GET', url, f.admin.creds);
    assert.equal(r.status, 404);
    r = await f.t.request('DELETE', url, f.admin.creds);
    assert.equal(r.status, 404);
  });

  it('deleting the org removes its integrations', async () => {
    const org = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body: { name: 'Temp Org' } });
    const r = await create(f.owner.creds, org.body.id, { kind: 'vercel' });
    assert.equal(r.status, 201);
    assert.equal((await f.t.request('DELETE', `/api/organizations/${org.body.id}/`, f.owner.creds)).status, 204);
    const left = await f.t.roster.ctx.db.selectFrom('integrations').select('id').where('id', '=', r.body.id).execute();
    assert.equal(left.length, 0);
  });
});
