// Grafana's brute-force protection: 5 failed sign-ins within 5 minutes block the login.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, ADMIN_PASSWORD, type TestRoster } from '../helpers/roster.ts';

describe('login throttling', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
    await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'victim', password: 'secret-pw' } });
  });
  after(() => t.close());

  it('blocks a login after 5 failures, even with the right password, for Basic and session', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await t.request('GET', '/api/user', { basic: ['victim', `wrong-${i}`] });
      assert.equal(r.body.messageId, 'password-auth.failed');
    }
    const blocked = await t.request('GET', '/api/user', { basic: ['victim', 'secret-pw'] });
    assert.equal(blocked.status, 401);
    assert.equal(blocked.body.messageId, 'login-attempt.blocked');
    const session = await t.request('POST', '/login', { body: { user: 'VICTIM', password: 'secret-pw' } });
    assert.equal(session.status, 401);
    assert.match(session.body.message, /Too many consecutive incorrect login attempts/);
  });

  it('other users are not affected', async () => {
    assert.equal((await t.request('GET', '/api/user', { basic: ['admin', ADMIN_PASSWORD] })).status, 200);
  });

  it('the block ends when the window has passed (attempts are kept in the database)', async () => {
    await t.roster.ctx.db
      .updateTable('login_attempts')
      .set({ created_at: new Date(Date.now() - 6 * 60 * 1000).toISOString() })
      .execute();
    assert.equal((await t.request('GET', '/api/user', { basic: ['victim', 'secret-pw'] })).status, 200);
  });

  it('a success clears earlier failures', async () => {
    for (let i = 0; i < 4; i++) await t.request('GET', '/api/user', { basic: ['victim', 'nope'] });
    assert.equal((await t.request('POST', '/login', { body: { user: 'victim', password: 'secret-pw' } })).status, 200);
    for (let i = 0; i < 4; i++) await t.request('GET', '/api/user', { basic: ['victim', 'nope'] });
    assert.equal((await t.request('GET', '/api/user', { basic: ['victim', 'secret-pw'] })).status, 200);
  });
});
