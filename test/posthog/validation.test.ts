// The PostHog face's schema validation in Django REST framework's words
// (docs/compat/posthog.md#validation): each message exactly, the first field in serializer order,
// the caller checked before the body, DRF's coercions, and a refused body changing nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dumpTables } from '../helpers/dump.ts';
import { invalid, makeKey, startFixture, type Fixture } from './fixture.ts';

describe('PostHog face: validation errors in DRF words', () => {
  let f: Fixture;
  let org: string;
  before(async () => {
    f = await startFixture();
    org = `/api/organizations/${f.acme.uuid}`;
  });
  after(() => f.t.close());

  /** Sends a body the schema refuses: exactly `expected`, and every table as it was. */
  const refused = async (method: string, url: string, body: unknown, expected: object, creds = f.owner.creds) => {
    const before = await dumpTables(f.t.roster.ctx.db);
    const r = await f.t.request(method, url, { ...creds, rawBody: JSON.stringify(body) });
    assert.deepEqual([r.status, r.body], [400, expected], `${method} ${url} ${JSON.stringify(body)}`);
    assert.equal(await dumpTables(f.t.roster.ctx.db), before, `${method} ${url} ${JSON.stringify(body)} changed the store`);
  };

  it('This field is required. / This field may not be null.', async () => {
    await refused('POST', '/api/organizations/', { enforce_2fa: true }, invalid('required', 'This field is required.', 'name'));
    await refused('POST', '/api/personal_api_keys/', { label: 'k' }, invalid('required', 'This field is required.', 'scopes'));
    await refused('PATCH', `${org}/`, { default_anonymize_ips: null }, invalid('null', 'This field may not be null.', 'default_anonymize_ips'));
    await refused('POST', '/api/personal_api_keys/', { label: 'k', scopes: ['*'], scoped_teams: null }, invalid('null', 'This field may not be null.', 'scoped_teams'));
  });

  it('This field may not be blank. (after trimming) / Ensure this field has no more than N characters.', async () => {
    await refused('PATCH', `${org}/`, { name: ' \t ' }, invalid('blank', 'This field may not be blank.', 'name'));
    await refused('PATCH', `${org}/`, { default_role_id: '' }, invalid('blank', 'This field may not be blank.', 'default_role_id'));
    await refused('PATCH', `${org}/`, { name: 'n'.repeat(65) }, invalid('max_length', 'Ensure this field has no more than 64 characters.', 'name'));
    await refused('POST', '/api/personal_api_keys/', { label: '😀'.repeat(41), scopes: ['*'] }, invalid('max_length', 'Ensure this field has no more than 40 characters.', 'label'));
    await refused('POST', `${org}/invites/`, { target_email: 'a@example.com', first_name: 'f'.repeat(31) }, invalid('max_length', 'Ensure this field has no more than 30 characters.', 'first_name'));
    await refused('POST', `${org}/invites/`, { target_email: 'a@example.com', message: 'm'.repeat(2001) }, invalid('max_length', 'Ensure this field has no more than 2000 characters.', 'message'));
  });

  it('Not a valid string. / Must be a valid boolean. / A valid integer is required.', async () => {
    await refused('PATCH', `${org}/`, { default_role_id: 5 }, invalid('invalid_input', 'Not a valid string.', 'default_role_id'));
    // A list's item error is filed under its index, as drf-exceptions-hog joins nested keys.
    await refused('POST', '/api/personal_api_keys/', { label: 'k', scopes: ['*', 1] }, invalid('invalid_input', 'Not a valid string.', 'scopes__1'));
    await refused('POST', '/api/personal_api_keys/', { label: 'k', scopes: [null] }, invalid('null', 'This field may not be null.', 'scopes__0'));
    await refused('PATCH', `${org}/`, { enforce_2fa: 'sometimes' }, invalid('invalid_input', 'Must be a valid boolean.', 'enforce_2fa'));
    await refused('PATCH', `${org}/`, { members_can_invite: 2 }, invalid('invalid_input', 'Must be a valid boolean.', 'members_can_invite'));
    for (const team of ['a', 1.5, true, Number.MAX_SAFE_INTEGER + 2]) {
      await refused('POST', '/api/personal_api_keys/', { label: 'k', scopes: ['*'], scoped_teams: [team] }, invalid('invalid_input', 'A valid integer is required.', 'scoped_teams__0'));
    }
  });

  it('"x" is not a valid choice.', async () => {
    await refused('PATCH', `${org}/`, { default_experiment_stats_method: 'magic' }, invalid('invalid_choice', '"magic" is not a valid choice.', 'default_experiment_stats_method'));
    await refused('PATCH', `${org}/members/${f.member.uuid}/`, { level: 8.5 }, invalid('invalid_choice', '"8.5" is not a valid choice.', 'level'));
    await refused('PATCH', `${org}/members/${f.member.uuid}/`, { level: false }, invalid('invalid_choice', '"False" is not a valid choice.', 'level'));
    // Python's str() of the value: a list shows its items' repr().
    await refused('POST', `${org}/invites/`, { target_email: 'a@example.com', level: [8, 'x', null] }, invalid('invalid_choice', `"[8, 'x', None]" is not a valid choice.`, 'level'));
    await refused('POST', `${org}/invites/`, { target_email: 'a@example.com', level: { a: true } }, invalid('invalid_choice', `"{'a': True}" is not a valid choice.`, 'level'));
  });

  it('Expected a list of items / Enter a valid email address. / Expected a dictionary', async () => {
    await refused('POST', '/api/personal_api_keys/', { label: 'k', scopes: 'organization:read' }, invalid('not_a_list', 'Expected a list of items but got type "str".', 'scopes'));
    await refused('POST', '/api/personal_api_keys/', { label: 'k', scopes: { a: 1 } }, invalid('not_a_list', 'Expected a list of items but got type "dict".', 'scopes'));
    await refused(
      'POST',
      `${org}/invites/`,
      { target_email: 'a@example.com', private_project_access: 7 },
      invalid('not_a_list', 'Expected a list of items but got type "int".', 'private_project_access'),
    );
    await refused('POST', `${org}/invites/`, { target_email: '  not-an-email ' }, invalid('invalid_input', 'Enter a valid email address.', 'target_email'));
    await refused('POST', '/api/organizations/', [{ name: 'x' }], invalid('invalid_input', 'Invalid data. Expected a dictionary, but got list.', null));
    await refused('PATCH', `${org}/`, 'x', invalid('invalid_input', 'Invalid data. Expected a dictionary, but got str.', null));
    await refused('POST', '/api/personal_api_keys/', 42, invalid('invalid_input', 'Invalid data. Expected a dictionary, but got int.', null));
  });

  it('bulk invites: the view\'s own words for the list, the serializer\'s for an item (under "__<index>")', async () => {
    const url = `${org}/invites/bulk/`;
    await refused('POST', url, { target_email: 'a@example.com' }, invalid('invalid_input', 'This endpoint needs an array of data for bulk invite creation.', null));
    const many = Array.from({ length: 21 }, (_, i) => ({ target_email: `p${i}@example.com` }));
    await refused('POST', url, many, invalid('max_length', 'A maximum of 20 invites can be sent in a single request.', null));
    await refused('POST', url, [{ target_email: 'a@example.com' }, 'b@example.com'], invalid('invalid_input', 'Invalid data. Expected a dictionary, but got str.', '__1__non_field_errors'));
    // All or nothing: the valid first item is not written either.
    await refused('POST', url, [{ target_email: 'a@example.com' }, { first_name: 'b' }], invalid('required', 'This field is required.', '__1__target_email'));
    await refused('POST', url, [{ level: 7 }, { target_email: 5 }], invalid('required', 'This field is required.', '__0__target_email'));
  });

  it('the first field in serializer order is the one reported', async () => {
    // label comes before scopes, so its type error wins over the missing scopes.
    await refused('POST', '/api/personal_api_keys/', { label: 5 }, invalid('invalid_input', 'Not a valid string.', 'label'));
    // Body order does not matter; enforce_2fa is read before default_role_id.
    await refused('PATCH', `${org}/`, { default_role_id: 5, enforce_2fa: 'x' }, invalid('invalid_input', 'Must be a valid boolean.', 'enforce_2fa'));
    await refused('POST', `${org}/invites/`, { send_email: 'perhaps', first_name: 9 }, invalid('required', 'This field is required.', 'target_email'));
  });

  it('the caller is checked before the body is read', async () => {
    const before = await dumpTables(f.t.roster.ctx.db);
    let r = await f.t.request('PATCH', `${org}/`, { ...f.member.creds, body: { name: 5 } });
    assert.equal(r.status, 403, r.text);
    r = await f.t.request('PATCH', `${org}/`, { ...f.outsider.creds, body: { name: 5 } });
    assert.equal(r.status, 404, r.text);
    r = await f.t.request('POST', '/api/organizations/', { body: { name: 5 } });
    assert.equal(r.status, 401, r.text);
    assert.equal(await dumpTables(f.t.roster.ctx.db), before);
  });

  it("DRF's coercions: trimmed strings, boolean and integer spellings, choices by str()", async () => {
    let r = await f.t.request('PATCH', `${org}/`, { ...f.owner.creds, body: { name: '  Acme Two  ', enforce_2fa: 'yes', members_can_invite: 'off', default_anonymize_ips: 1 } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.name, r.body.enforce_2fa, r.body.members_can_invite, r.body.default_anonymize_ips], ['Acme Two', true, false, true]);
    // enforce_2fa is now on, and the owner signs in with a password without a second factor: held
    // off the org (docs/two-factor.md). A personal key is not, and turns it off again.
    assert.equal((await f.t.request('PATCH', `${org}/`, { ...f.owner.creds, body: { name: 'Acme' } })).status, 403);
    const key = await makeKey(f.t, f.owner.creds, ['organization:write']);
    r = await f.t.request('PATCH', `${org}/`, { bearer: key, body: { name: 'Acme', enforce_2fa: null, members_can_invite: 'true', default_anonymize_ips: '0' } });
    assert.deepEqual([r.body.name, r.body.enforce_2fa, r.body.members_can_invite, r.body.default_anonymize_ips], ['Acme', null, true, false]);
    r = await f.t.request('PATCH', `${org}/members/${f.member.uuid}/`, { ...f.owner.creds, body: { level: ' 8' } });
    assert.deepEqual([r.status, r.body], [400, invalid('invalid_choice', '" 8" is not a valid choice.', 'level')]);
    r = await f.t.request('POST', '/api/personal_api_keys/', { ...f.owner.creds, body: { label: ' 😀'.repeat(20), scopes: ['*'], scoped_teams: [] } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.label, ' 😀'.repeat(20).trim());
  });

  it('query strings: a repeated parameter is its last value, a bad limit is ignored', async () => {
    let r = await f.t.request('GET', `${org}/members/?search=nobody&search=mia`, f.owner.creds);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.results.map((m: any) => m.user.email),
      ['mia@example.com'],
    );
    r = await f.t.request('GET', `${org}/members/?limit=x&limit=1&offset=-3`, f.owner.creds);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.results.length, 1);
    r = await f.t.request('GET', `${org}/members/?limit=1&limit=x`, f.owner.creds);
    assert.equal(r.body.results.length, 3);
  });
});
