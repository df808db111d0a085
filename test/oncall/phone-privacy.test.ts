// Phone privacy (docs/compat/oncall.md#object-shapes): available / private / not_configured, and
// the org override.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { makeToken, makeUser } from './fixtures.ts';

describe('OnCall phone numbers and privacy', () => {
  let t: TestRoster;
  let token: string;
  before(async () => {
    t = await startRoster();
    token = await makeToken(t, 1, 'Viewer');
  });
  after(() => t.close());

  const phoneOf = async (login: string) => {
    const r = await t.request('GET', `/api/v1/users/?username=${login}`, { raw: token });
    const u = r.body.results[0];
    return [u.is_phone_number_verified, u.phone_number, u.phone_number_status];
  };
  const contact = (userId: number, body: object, creds = t.admin) => t.request('PATCH', `/api/roster/v1/users/${userId}/contact`, { ...creds, body });
  const override = async (on: boolean) => {
    const r = await t.request('PATCH', '/api/roster/v1/orgs/1/settings', { ...t.admin, body: { phonePrivacyOverride: on } });
    assert.equal(r.status, 200, r.text);
  };

  it('no number: not_configured', async () => {
    await makeUser(t, 'nonum', 'Editor');
    assert.deepEqual(await phoneOf('nonum'), [false, null, 'not_configured']);
  });

  it('an unverified number is not_configured and hidden', async () => {
    const u = await makeUser(t, 'unver', 'Editor');
    assert.equal((await contact(u.id, { phone_number: '+15550001111' })).status, 200);
    assert.deepEqual(await phoneOf('unver'), [false, null, 'not_configured']);
  });

  it('a verified public number is available', async () => {
    const u = await makeUser(t, 'pub', 'Editor');
    await contact(u.id, { phone_number: '+15550002222', phone_verified: true });
    assert.deepEqual(await phoneOf('pub'), [true, '+15550002222', 'available']);
  });

  it('a verified private number is private and null, unless the org override is on', async () => {
    const u = await makeUser(t, 'priv', 'Editor');
    await contact(u.id, { phone_number: '+15550003333', phone_verified: true, phone_private: true });
    assert.deepEqual(await phoneOf('priv'), [true, null, 'private']);
    await override(true);
    assert.deepEqual(await phoneOf('priv'), [true, '+15550003333', 'available']);
    // the same rules on retrieve
    const id = (await t.request('GET', '/api/v1/users/?username=priv', { raw: token })).body.results[0].id;
    const r = await t.request('GET', `/api/v1/users/${id}`, { raw: token });
    assert.deepEqual([r.body.phone_number, r.body.phone_number_status], ['+15550003333', 'available']);
    await override(false);
    assert.deepEqual(await phoneOf('priv'), [true, null, 'private']);
    // the override never reveals an unverified number
    await override(true);
    assert.deepEqual(await phoneOf('unver'), [false, null, 'not_configured']);
    await override(false);
  });

  it('a user changing their own number makes it unverified', async () => {
    const u = await makeUser(t, 'selfie', 'Editor');
    await contact(u.id, { phone_number: '+15550004444', phone_verified: true });
    assert.deepEqual(await phoneOf('selfie'), [true, '+15550004444', 'available']);
    let r = await contact(u.id, { phone_number: '+15550005555' }, { basic: u.basic });
    assert.deepEqual([r.status, r.body.phone_number, r.body.phone_verified], [200, '+15550005555', false]);
    assert.deepEqual(await phoneOf('selfie'), [false, null, 'not_configured']);
    // the same number again keeps its state; the user may not verify it themselves
    r = await contact(u.id, { phone_verified: true }, { basic: u.basic });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'contact.verify-admin-only');
    r = await contact(u.id, { phone_number: '+15550005555', phone_verified: true });
    assert.equal(r.body.phone_verified, true);
    r = await contact(u.id, { phone_number: '+15550005555', phone_private: true }, { basic: u.basic });
    assert.deepEqual([r.body.phone_verified, r.body.phone_private], [true, true]);
    assert.deepEqual(await phoneOf('selfie'), [true, null, 'private']);
  });
});
