// Personal API keys, their management, authentication and scopes (docs/compat/posthog.md
// #personal-api-keys and #managing-personal-api-keys).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { denied, invalid, makeKey, NOT_FOUND, startFixture, type Fixture } from './fixture.ts';

const KEY_FIELDS = ['id', 'label', 'value', 'mask_value', 'created_at', 'last_used_at', 'user_id', 'scopes', 'scoped_teams', 'scoped_organizations', 'last_rolled_at'];
const UNSUPPORTED = denied('This action does not support Personal API Key access');

describe('PostHog personal API keys: management', () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(() => f.t.close());

  it('create shows the phx_ value once; only a hash is stored; list shows no values', async () => {
    const r = await f.t.request('POST', '/api/personal_api_keys/', { ...f.member.creds, body: { label: 'Test key uno', scopes: ['organization:read'], scoped_organizations: [], scoped_teams: [] } });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(Object.keys(r.body), KEY_FIELDS);
    assert.match(r.body.value, /^phx_[A-Za-z0-9]{47}$/);
    assert.equal(r.body.mask_value, `phx_...${r.body.value.slice(-4)}`);
    assert.equal(r.body.user_id, f.member.id);
    assert.deepEqual([r.body.scopes, r.body.scoped_teams, r.body.scoped_organizations], [['organization:read'], [], []]);
    assert.equal(r.body.last_used_at, null);
    const rows = await f.t.roster.ctx.db.selectFrom('tokens').selectAll().where('kind', '=', 'pak').execute();
    assert.ok(rows.length >= 1);
    for (const row of rows) assert.ok(!Object.values(row).includes(r.body.value));
    const list = await f.t.request('GET', '/api/personal_api_keys/', f.member.creds);
    assert.equal(list.status, 200);
    assert.ok(Array.isArray(list.body));
    assert.equal(list.body[0].id, r.body.id);
    assert.equal(list.body[0].value, null);
    const one = await f.t.request('GET', `/api/personal_api_keys/${r.body.id}/`, f.member.creds);
    assert.equal(one.body.value, null);
    assert.equal(one.body.label, 'Test key uno');
  });

  // Roster departs from PostHog here: an empty scope list would be a full-access "legacy" key.
  it('a key needs at least one scope; one stored without scopes may do nothing', async () => {
    const before = (await f.t.request('GET', '/api/personal_api_keys/', f.member.creds)).body.length;
    const r = await f.t.request('POST', '/api/personal_api_keys/', { ...f.member.creds, body: { label: 'legacy', scopes: [], scoped_organizations: [], scoped_teams: [] } });
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(r.body, { type: 'validation_error', code: 'empty', detail: 'This list may not be empty.', attr: 'scopes' });
    assert.equal((await f.t.request('GET', '/api/personal_api_keys/', f.member.creds)).body.length, before);

    const value = await makeKey(f.t, f.member.creds, ['organization:read']);
    const key = (await f.t.request('GET', '/api/personal_api_keys/', f.member.creds)).body[0];
    const emptied = await f.t.request('PATCH', `/api/personal_api_keys/${key.id}/`, { ...f.member.creds, body: { scopes: [] } });
    assert.equal(emptied.status, 400, emptied.text);
    assert.equal(emptied.body.code, 'empty');
    assert.equal((await f.t.request('GET', `/api/organizations/${f.acme.uuid}/`, { bearer: value })).status, 200);

    // A row written before scopes were required.
    await f.t.roster.ctx.db.updateTable('tokens').set({ scopes: '[]' }).where('id', '=', Number(key.id)).execute();
    // Any write drops the memoized credentials, as after a real change.
    assert.equal((await f.t.request('PATCH', `/api/personal_api_keys/${key.id}/`, { ...f.member.creds, body: { label: 'old key' } })).status, 200);
    const shown = await f.t.request('GET', `/api/personal_api_keys/${key.id}/`, f.member.creds);
    assert.deepEqual(shown.body.scopes, []);
    for (const [method, url] of [
      ['GET', '/api/organizations/'],
      ['GET', `/api/organizations/${f.acme.uuid}/`],
      ['PATCH', `/api/organizations/${f.acme.uuid}/`],
      ['GET', '/api/users/@me/'],
    ]) {
      const use = await f.t.request(method, url, { bearer: value, body: method === 'PATCH' ? { name: 'Taken' } : undefined });
      assert.equal(use.status, 403, `${method} ${url}: ${use.text}`);
      assert.equal(use.body.detail, 'This personal API key has no scopes: give it at least one scope.');
    }
    assert.equal((await f.t.request('GET', `/api/organizations/${f.acme.uuid}/`, f.owner.creds)).body.name, 'Acme');
  });

  it('validation of label, scopes and scoped organizations', async () => {
    const cases: [unknown, object][] = [
      [{ scopes: ['*'] }, invalid('required', 'This field is required.', 'label')],
      [{ label: '  ', scopes: ['*'] }, invalid('blank', 'This field may not be blank.', 'label')],
      [{ label: 'x'.repeat(41), scopes: ['*'] }, invalid('max_length', 'Ensure this field has no more than 40 characters.', 'label')],
      [{ label: 'k' }, invalid('required', 'This field is required.', 'scopes')],
      [{ label: 'k', scopes: 'organization:read' }, invalid('not_a_list', 'Expected a list of items but got type "str".', 'scopes')],
      [{ label: 'k', scopes: ['invalid'] }, invalid('invalid_input', 'Invalid scope: invalid', 'scopes')],
      [{ label: 'k', scopes: ['organization:delete'] }, invalid('invalid_input', 'Invalid scope: organization:delete', 'scopes')],
      [{ label: 'k', scopes: ['nothing:read'] }, invalid('invalid_input', 'Invalid scope: nothing:read', 'scopes')],
      [{ label: 'k', scopes: ['*'], scoped_organizations: ['nope'] }, invalid('invalid_input', 'Invalid organization UUID', 'scoped_organizations')],
      [
        { label: 'k', scopes: ['*'], scoped_organizations: [f.acme.uuid] },
        invalid('invalid_input', 'You must be a member of all organizations that you are scoping the key to.', 'scoped_organizations'),
      ],
      [{ label: 'k', scopes: ['*'], scoped_teams: [1] }, invalid('invalid_input', 'You must be a member of all teams that you are scoping the key to.', 'scoped_teams')],
    ];
    const before = (await f.t.request('GET', '/api/personal_api_keys/', f.outsider.creds)).body.length;
    for (const [body, expected] of cases) {
      const r = await f.t.request('POST', '/api/personal_api_keys/', { ...f.outsider.creds, body });
      assert.deepEqual([r.status, r.body], [400, expected], JSON.stringify(body));
    }
    assert.equal((await f.t.request('GET', '/api/personal_api_keys/', f.outsider.creds)).body.length, before);
  });

  it('at most 10 keys per user', async () => {
    for (let i = 0; i < 10; i++) await makeKey(f.t, f.admin.creds, ['organization:read']);
    const r = await f.t.request('POST', '/api/personal_api_keys/', { ...f.admin.creds, body: { label: 'eleven', scopes: ['*'] } });
    assert.deepEqual([r.status, r.body], [400, invalid('invalid_input', 'You can only have 10 personal API keys. Remove an existing key before creating a new one.', null)]);
  });

  it('PATCH changes label, scopes and orgs but not the value; other users keys are 404', async () => {
    const created = await f.t.request('POST', '/api/personal_api_keys/', { ...f.owner.creds, body: { label: 'before', scopes: ['organization:read'] } });
    const url = `/api/personal_api_keys/${created.body.id}/`;
    const r = await f.t.request('PATCH', url, { ...f.owner.creds, body: { label: 'after', scopes: ['organization:write'], scoped_organizations: [f.acme.uuid] } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.label, r.body.scopes, r.body.scoped_organizations, r.body.value], ['after', ['organization:write'], [f.acme.uuid], null]);
    assert.equal(r.body.mask_value, created.body.mask_value);
    assert.equal((await f.t.request('GET', '/api/organizations/', { bearer: created.body.value })).body.count, 1);
    assert.deepEqual((await f.t.request('GET', url, f.member.creds)).body, NOT_FOUND);
    assert.equal((await f.t.request('PATCH', url, { ...f.member.creds, body: { label: 'mine' } })).status, 404);
    assert.equal((await f.t.request('DELETE', url, f.member.creds)).status, 404);
    assert.equal((await f.t.request('GET', '/api/personal_api_keys/abc/', f.owner.creds)).status, 404);
    assert.equal((await f.t.request('GET', '/api/personal_api_keys/99999999999/', f.owner.creds)).status, 404);
    const bad = await f.t.request('PATCH', url, { ...f.owner.creds, body: { label: '' } });
    assert.deepEqual([bad.status, bad.body.attr], [400, 'label']);
  });

  it('a key may read only itself; managing keys with a key is refused', async () => {
    const a = await f.t.request('POST', '/api/personal_api_keys/', { ...f.owner.creds, body: { label: 'a', scopes: ['*'] } });
    const b = await f.t.request('POST', '/api/personal_api_keys/', { ...f.owner.creds, body: { label: 'b', scopes: ['*'] } });
    const key = { bearer: a.body.value };
    assert.deepEqual((await f.t.request('GET', '/api/personal_api_keys/', key)).body, UNSUPPORTED);
    assert.equal((await f.t.request('POST', '/api/personal_api_keys/', { ...key, body: { label: 'c', scopes: ['*'] } })).status, 403);
    assert.equal((await f.t.request('GET', `/api/personal_api_keys/${a.body.id}/`, key)).status, 200);
    assert.equal((await f.t.request('GET', '/api/personal_api_keys/@current/', key)).body.id, a.body.id);
    assert.deepEqual((await f.t.request('GET', `/api/personal_api_keys/${b.body.id}/`, key)).body, UNSUPPORTED);
    assert.equal((await f.t.request('PATCH', `/api/personal_api_keys/${a.body.id}/`, { ...key, body: { label: 'z' } })).status, 403);
    assert.equal((await f.t.request('DELETE', `/api/personal_api_keys/${b.body.id}/`, key)).status, 403);
    assert.equal((await f.t.request('POST', `/api/personal_api_keys/${a.body.id}/roll/`, key)).status, 403);
  });

  it('roll replaces the value; DELETE ends the key', async () => {
    const k = await f.t.request('POST', '/api/personal_api_keys/', { ...f.member.creds, body: { label: 'rolling', scopes: ['*'] } });
    const rolled = await f.t.request('POST', `/api/personal_api_keys/${k.body.id}/roll/`, f.member.creds);
    assert.equal(rolled.status, 200);
    assert.notEqual(rolled.body.value, k.body.value);
    assert.match(rolled.body.value, /^phx_/);
    assert.notEqual(rolled.body.last_rolled_at, null);
    assert.equal((await f.t.request('GET', '/api/organizations/', { bearer: k.body.value })).status, 401);
    assert.equal((await f.t.request('GET', '/api/organizations/', { bearer: rolled.body.value })).status, 200);
    assert.equal((await f.t.request('DELETE', `/api/personal_api_keys/${k.body.id}/`, f.member.creds)).status, 204);
    assert.equal((await f.t.request('GET', '/api/organizations/', { bearer: rolled.body.value })).status, 401);
    assert.equal((await f.t.request('DELETE', `/api/personal_api_keys/${k.body.id}/`, f.member.creds)).status, 404);
  });
});

describe('PostHog personal API keys: authentication', () => {
  let f: Fixture;
  let value: string;
  before(async () => {
    f = await startFixture();
    value = await makeKey(f.t, f.member.creds, ['organization:read']);
  });
  after(() => f.t.close());

  const INVALID = (where: string) => ({ type: 'authentication_error', code: 'authentication_failed', detail: `Personal API key found in request ${where} is invalid.`, attr: null });

  it('Bearer header, with surrounding whitespace', async () => {
    assert.equal((await f.t.request('GET', '/api/organizations/', { bearer: value })).status, 200);
    assert.equal((await f.t.request('GET', '/api/organizations/', { raw: `Bearer   ${value}   ` })).status, 200);
  });

  it('the key in the query string or the body works too', async () => {
    assert.equal((await f.t.request('GET', `/api/organizations/?personal_api_key=${value}`)).status, 200);
    const write = await makeKey(f.t, f.member.creds, ['organization:write']);
    const r = await f.t.request('POST', '/api/organizations/', { body: { personal_api_key: write, name: 'Body Key Org' } });
    assert.equal(r.status, 201, r.text);
  });

  it('unknown keys are 401 naming where the key was found', async () => {
    let r = await f.t.request('GET', '/api/organizations/', { bearer: 'phx_unknown' });
    assert.deepEqual([r.status, r.body], [401, INVALID('Authorization header')]);
    r = await f.t.request('GET', '/api/organizations/?personal_api_key=phx_unknown');
    assert.deepEqual([r.status, r.body], [401, INVALID('query string')]);
    r = await f.t.request('POST', '/api/organizations/', { body: { personal_api_key: 'phx_unknown', name: 'x' } });
    assert.deepEqual([r.status, r.body], [401, INVALID('body')]);
    r = await f.t.request('GET', '/api/organizations/', { bearer: 'glsa_notapersonalkey' });
    assert.deepEqual([r.status, r.body], [401, INVALID('Authorization header')]);
    assert.ok(String(r.headers['www-authenticate']).length > 0);
  });

  it('personal keys do not work on the Grafana face', async () => {
    const r = await f.t.request('GET', '/api/org', { bearer: value });
    assert.equal(r.status, 401);
  });

  it("a disabled user's key stops working", async () => {
    const k = await makeKey(f.t, f.outsider.creds, ['*']);
    await f.t.request('POST', `/api/admin/users/${f.outsider.id}/disable`, f.t.admin);
    assert.equal((await f.t.request('GET', '/api/organizations/', { bearer: k })).status, 401);
    await f.t.request('POST', `/api/admin/users/${f.outsider.id}/enable`, f.t.admin);
  });

  it('last_used_at is set once the key is used', async () => {
    const list = await f.t.request('GET', '/api/personal_api_keys/', f.member.creds);
    const used = list.body.find((k: any) => k.mask_value === `phx_...${value.slice(-4)}`);
    assert.match(used.last_used_at, /Z$/);
  });
});
