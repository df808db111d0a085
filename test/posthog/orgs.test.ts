// docs/compat/posthog.md#organizations: /api/organizations/ list, create, retrieve, update, delete.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster } from '../helpers/roster.ts';
import { denied, invalid, makeKey, makeUser, NOT_FOUND, startFixture, type Fixture } from './fixture.ts';

const ORG_KEYS = [
  'id',
  'name',
  'slug',
  'logo_media_id',
  'created_at',
  'updated_at',
  'membership_level',
  'plugins_access_level',
  'teams',
  'projects',
  'available_product_features',
  'is_member_join_email_enabled',
  'metadata',
  'customer_id',
  'enforce_2fa',
  'members_can_invite',
  'members_can_use_personal_api_keys',
  'allow_publicly_shared_resources',
  'member_count',
  'is_ai_data_processing_approved',
  'default_experiment_stats_method',
  'default_anonymize_ips',
  'default_role_id',
  'is_active',
  'is_not_active_reason',
  'is_pending_deletion',
];

describe('PostHog organizations', () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(() => f.t.close());

  it('POST creates an org with every field, the creator as owner (15)', async () => {
    const r = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body: { name: '  Globex Corp  ', enforce_2fa: true, default_experiment_stats_method: 'frequentist' } });
    assert.equal(r.status, 201);
    assert.deepEqual(Object.keys(r.body), ORG_KEYS);
    assert.equal(r.body.name, 'Globex Corp');
    assert.equal(r.body.slug, 'globex-corp');
    assert.equal(r.body.membership_level, 15);
    assert.equal(r.body.member_count, 1);
    assert.equal(r.body.enforce_2fa, true);
    assert.equal(r.body.default_experiment_stats_method, 'frequentist');
    assert.equal(r.body.members_can_invite, true);
    assert.equal(r.body.default_anonymize_ips, false);
    assert.equal(r.body.plugins_access_level, 3);
    assert.equal(r.body.is_pending_deletion, false);
    assert.match(r.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // enforce_2fa is enforced: the owner, signed in with a password and not enrolled, is held
    // off the org; a personal key is not.
    const held = await f.t.request('GET', `/api/organizations/${r.body.id}/members/`, f.owner.creds);
    assert.deepEqual([held.status, held.body.code], [403, 'permission_denied']);
    assert.match(held.body.detail, /requires two-factor authentication/);
    const key = await makeKey(f.t, f.owner.creds, ['organization_member:read']);
    const members = await f.t.request('GET', `/api/organizations/${r.body.id}/members/`, { bearer: key });
    assert.equal(members.body.results[0].level, 15);
  });

  it('a second org with a similar name gets a suffixed slug', async () => {
    const a = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body: { name: 'Slug Test' } });
    const b = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body: { name: 'Slug-Test' } });
    assert.equal(a.body.slug, 'slug-test');
    assert.match(b.body.slug, /^slug-test-[a-z]{4}$/);
  });

  it('POST validation: name required, blank, too long, null, wrong type; logo on create', async () => {
    const cases: [unknown, object][] = [
      [{}, invalid('required', 'This field is required.', 'name')],
      [{ name: '   ' }, invalid('blank', 'This field may not be blank.', 'name')],
      [{ name: 'x'.repeat(65) }, invalid('max_length', 'Ensure this field has no more than 64 characters.', 'name')],
      [{ name: null }, invalid('null', 'This field may not be null.', 'name')],
      [{ name: ['a'] }, invalid('invalid_input', 'Not a valid string.', 'name')],
      [{ name: 'Ok', enforce_2fa: 'maybe' }, invalid('invalid_input', 'Must be a valid boolean.', 'enforce_2fa')],
      [{ name: 'Ok', default_experiment_stats_method: 'magic' }, invalid('invalid_choice', '"magic" is not a valid choice.', 'default_experiment_stats_method')],
      [{ name: 'Ok', members_can_use_personal_api_keys: null }, invalid('null', 'This field may not be null.', 'members_can_use_personal_api_keys')],
      [{ name: 'Ok', logo_media_id: '0190e4f5-0000-7000-8000-000000000000' }, invalid('invalid_input', 'Cannot set logo media when creating an organization.', 'logo_media_id')],
      [[{ name: 'Ok' }], invalid('invalid_input', 'Invalid data. Expected a dictionary, but got list.', null)],
    ];
    const before = (await f.t.request('GET', '/api/organizations/', f.owner.creds)).body.count;
    for (const [body, expected] of cases) {
      const r = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual(r.body, expected, JSON.stringify(body));
    }
    assert.equal((await f.t.request('GET', '/api/organizations/', f.owner.creds)).body.count, before);
  });

  it('a name of exactly 64 characters is accepted; a taken name is a 400', async () => {
    const name = 'n'.repeat(64);
    assert.equal((await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body: { name } })).status, 201);
    const r = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body: { name } });
    assert.equal(r.status, 400);
    assert.equal(r.body.attr, 'name');
    assert.equal(r.body.type, 'validation_error');
  });

  it('GET list shows only the caller orgs with their level', async () => {
    const r = await f.t.request('GET', '/api/organizations/', f.admin.creds);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['count', 'next', 'previous', 'results']);
    const names = r.body.results.map((o: any) => [o.name, o.membership_level]);
    assert.deepEqual(names, [
      ['Main Org.', 1],
      ['Acme', 8],
    ]);
    const outsider = await f.t.request('GET', '/api/organizations/', f.outsider.creds);
    assert.deepEqual(
      outsider.body.results.map((o: any) => o.name),
      ['Main Org.'],
    );
  });

  it('GET one by uuid, upper-case uuid, and @current; other orgs are 404', async () => {
    let r = await f.t.request('GET', `/api/organizations/${f.acme.uuid}/`, f.member.creds);
    assert.equal(r.status, 200);
    assert.equal(r.body.name, 'Acme');
    assert.equal(r.body.membership_level, 1);
    assert.equal(r.body.member_count, 3);
    r = await f.t.request('GET', `/api/organizations/${f.acme.uuid.toUpperCase()}`, f.member.creds);
    assert.equal(r.status, 200);
    r = await f.t.request('GET', '/api/organizations/@current/', f.member.creds);
    assert.equal(r.status, 200);
    assert.equal(r.body.name, 'Main Org.');
    r = await f.t.request('GET', `/api/organizations/${f.acme.uuid}/`, f.outsider.creds);
    assert.deepEqual([r.status, r.body], [404, NOT_FOUND]);
    for (const id of ['not-a-uuid', '123', '00000000-0000-0000-0000-000000000000']) {
      r = await f.t.request('GET', `/api/organizations/${id}/`, f.owner.creds);
      assert.deepEqual([r.status, r.body], [404, NOT_FOUND], id);
    }
  });

  it('PATCH by an admin changes writable fields; read-only fields are ignored', async () => {
    const r = await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, {
      ...f.admin.creds,
      body: {
        name: 'Acme Renamed',
        members_can_invite: false,
        members_can_use_personal_api_keys: 'false',
        allow_publicly_shared_resources: 0,
        is_ai_data_processing_approved: true,
        default_experiment_stats_method: '',
        default_anonymize_ips: true,
        default_role_id: 'role-1',
        enforce_2fa: null,
        slug: 'hacked',
        plugins_access_level: 9,
        is_active: false,
        membership_level: 15,
        unknown_field: 'ignored',
      },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.name, 'Acme Renamed');
    assert.equal(r.body.slug, 'acme');
    assert.equal(r.body.members_can_invite, false);
    assert.equal(r.body.members_can_use_personal_api_keys, false);
    assert.equal(r.body.allow_publicly_shared_resources, false);
    assert.equal(r.body.is_ai_data_processing_approved, true);
    assert.equal(r.body.default_experiment_stats_method, '');
    assert.equal(r.body.default_anonymize_ips, true);
    assert.equal(r.body.default_role_id, 'role-1');
    assert.equal(r.body.enforce_2fa, null);
    assert.equal(r.body.plugins_access_level, 3);
    assert.equal(r.body.is_active, true);
    assert.equal(r.body.membership_level, 8);
    const again = await f.t.request('GET', `/api/organizations/${f.acme.uuid}/`, f.admin.creds);
    assert.deepEqual({ ...again.body, updated_at: 0 }, { ...r.body, updated_at: 0 });
    await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, {
      ...f.owner.creds,
      body: { name: 'Acme', members_can_invite: true, members_can_use_personal_api_keys: true, allow_publicly_shared_resources: true },
    });
  });

  it('PUT is a partial update like PATCH', async () => {
    const r = await f.t.request('PUT', `/api/organizations/${f.acme.uuid}`, { ...f.owner.creds, body: { default_anonymize_ips: false } });
    assert.equal(r.status, 200);
    assert.equal(r.body.name, 'Acme');
    assert.equal(r.body.default_anonymize_ips, false);
  });

  it('PATCH/PUT by a member is 403 insufficient level; by an outsider 404; logo media unknown is 400', async () => {
    for (const method of ['PATCH', 'PUT']) {
      const r = await f.t.request(method, `/api/organizations/${f.acme.uuid}/`, { ...f.member.creds, body: { name: 'Nope' } });
      assert.deepEqual([r.status, r.body], [403, denied('Your organization access level is insufficient.')]);
    }
    let r = await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { ...f.outsider.creds, body: { name: 'Nope' } });
    assert.deepEqual([r.status, r.body], [404, NOT_FOUND]);
    r = await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { ...f.owner.creds, body: { logo_media_id: '0190e4f5-0000-7000-8000-000000000000' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.attr, 'logo_media_id');
    r = await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { ...f.owner.creds, body: { logo_media_id: null } });
    assert.equal(r.status, 200);
    assert.equal((await f.t.request('GET', `/api/organizations/${f.acme.uuid}/`, f.owner.creds)).body.name, 'Acme');
  });

  it('DELETE: member 403 admin access, admin 403 level, outsider 404, owner 204 then 404', async () => {
    const org = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body: { name: 'Doomed' } });
    const id = org.body.id;
    const numeric = (await f.t.roster.ctx.db.selectFrom('orgs').select('id').where('uuid', '=', id).executeTakeFirstOrThrow()).id;
    await f.t.request('POST', `/api/orgs/${numeric}/users`, { ...f.t.admin, body: { loginOrEmail: 'adam', role: 'Admin' } });
    await f.t.request('POST', `/api/orgs/${numeric}/users`, { ...f.t.admin, body: { loginOrEmail: 'mia', role: 'Viewer' } });
    let r = await f.t.request('DELETE', `/api/organizations/${id}/`, f.member.creds);
    assert.deepEqual([r.status, r.body], [403, denied('You do not have admin access to this resource.')]);
    r = await f.t.request('DELETE', `/api/organizations/${id}/`, f.admin.creds);
    assert.deepEqual([r.status, r.body], [403, denied('Your organization access level is insufficient.')]);
    r = await f.t.request('DELETE', `/api/organizations/${id}/`, f.outsider.creds);
    assert.deepEqual([r.status, r.body], [404, NOT_FOUND]);
    r = await f.t.request('DELETE', `/api/organizations/${id}/`, f.owner.creds);
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    r = await f.t.request('GET', `/api/organizations/${id}/`, f.owner.creds);
    assert.deepEqual([r.status, r.body], [404, NOT_FOUND]);
    r = await f.t.request('DELETE', `/api/organizations/${id}/`, f.owner.creds);
    assert.equal(r.status, 404);
  });

  it('an owner may delete the org they are working in; @current then falls back', async () => {
    const u = await makeUser(f.t, 'solo');
    const org = await f.t.request('POST', '/api/organizations/', { ...u.creds, body: { name: 'Solo Org' } });
    const numeric = (await f.t.roster.ctx.db.selectFrom('orgs').select('id').where('uuid', '=', org.body.id).executeTakeFirstOrThrow()).id;
    await f.t.roster.ctx.db.updateTable('users').set({ org_id: numeric }).where('id', '=', u.id).execute();
    assert.equal((await f.t.request('GET', '/api/organizations/@current/', u.creds)).body.name, 'Solo Org');
    assert.equal((await f.t.request('DELETE', '/api/organizations/@current/', u.creds)).status, 204);
    assert.equal((await f.t.request('GET', '/api/organizations/@current/', u.creds)).body.name, 'Main Org.');
  });

  it('POST on a detail URL is 405', async () => {
    const r = await f.t.request('POST', `/api/organizations/${f.acme.uuid}/`, { ...f.owner.creds, body: {} });
    assert.deepEqual([r.status, r.body], [405, { type: 'invalid_request', code: 'method_not_allowed', detail: 'Method "POST" not allowed.', attr: null }]);
  });

  it('unknown endpoints are 404 "Endpoint not found."; missing methods on known ones 405 after authentication', async () => {
    const nf = { type: 'invalid_request', code: 'not_found', detail: 'Endpoint not found.', attr: null };
    for (const url of [`/api/organizations/${f.acme.uuid}/nothing/`, '/api/organizations/a/b/c/d/e/', '/api/personal_api_keys/1/nothing/']) {
      const r = await f.t.request('GET', url);
      assert.deepEqual([r.status, r.body], [404, nf], url);
    }
    for (const [method, url] of [
      ['PATCH', '/api/organizations/'],
      ['DELETE', '/api/organizations/'],
      ['DELETE', '/api/personal_api_keys/'],
      ['POST', `/api/organizations/${f.acme.uuid}/members/`],
    ]) {
      let r = await f.t.request(method, url, f.owner.creds);
      assert.deepEqual([r.status, r.body], [405, { type: 'invalid_request', code: 'method_not_allowed', detail: `Method "${method}" not allowed.`, attr: null }], `${method} ${url}`);
      r = await f.t.request(method, url);
      assert.equal(r.status, 401, `${method} ${url}`);
    }
  });

  it('no credentials: 401 not_authenticated; wrong password: 401 authentication_failed', async () => {
    let r = await f.t.request('GET', '/api/organizations/');
    assert.deepEqual([r.status, r.body], [401, { type: 'authentication_error', code: 'not_authenticated', detail: 'Authentication credentials were not provided.', attr: null }]);
    r = await f.t.request('GET', '/api/organizations/', { basic: ['olivia', 'wrong'] });
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'authentication_failed');
  });

  it('session cookie callers work', async () => {
    const login = await f.t.request('POST', '/login', { body: { user: 'olivia', password: 'olivia-password' } });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const r = await f.t.request('GET', '/api/organizations/', { cookie });
    assert.equal(r.status, 200);
    assert.ok(r.body.results.some((o: any) => o.name === 'Acme'));
  });
});

describe('PostHog org creation follows ROSTER_ALLOW_ORG_CREATE', () => {
  it('ordinary users are refused when it is off; server admins may, also with a personal key', async () => {
    const t = await startRoster();
    try {
      const u = await makeUser(t, 'plain');
      let r = await t.request('POST', '/api/organizations/', { ...u.creds, body: { name: 'Nope' } });
      assert.deepEqual([r.status, r.body.code], [403, 'permission_denied']);
      r = await t.request('POST', '/api/organizations/', { ...t.admin, body: { name: 'By Admin' } });
      assert.equal(r.status, 201);
      const key = await t.request('POST', '/api/personal_api_keys/', { ...t.admin, body: { label: 'a', scopes: ['organization:write'], scoped_teams: [], scoped_organizations: [] } });
      r = await t.request('POST', '/api/organizations/', { bearer: key.body.value, body: { name: 'By Admin Key' } });
      assert.equal(r.status, 201);
      assert.equal(r.body.membership_level, 15);
    } finally {
      await t.close();
    }
  });
});
