// Grafana's verify_email flow: PUT /api/user with a new address answers "Email sent for
// verification" and changes nothing until GET /api/user/email/update?code=... is followed by the
// same user; codes work once and expire. Without SMTP the change is refused, and the store is
// left as it was; admins still set addresses, which count as verified.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';
import { linkCode, TestSmtp } from '../helpers/smtp.ts';
import { runCli } from '../cli/run-cli.ts';

async function makeUser(t: TestRoster, login: string): Promise<{ id: number; creds: Creds }> {
  const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, name: login, password: `${login}-pass-1` } });
  assert.equal(r.status, 200, r.text);
  return { id: r.body.id, creds: { basic: [login, `${login}-pass-1`] } };
}

describe('email verification (SMTP configured)', () => {
  let t: TestRoster;
  const smtp = new TestSmtp();
  const lines: string[] = [];
  before(async () => {
    await smtp.start();
    t = await startRoster(
      { ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: 'Roster <roster@example.com>', ROSTER_LOG_LEVEL: 'trace' },
      { mail: { pollMs: 100, retryBaseMs: 100 }, logStream: { write: (l) => void lines.push(l) } },
    );
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  it('a new address takes effect only through the mailed link, followed by the same user, once', async () => {
    const ann = await makeUser(t, 'ann');
    const put = await t.request('PUT', '/api/user', { ...ann.creds, body: { login: 'ann', email: 'Ann.New@Example.com', name: 'Ann A.' } });
    assert.deepEqual([put.status, put.body], [200, { message: 'Email sent for verification' }]);
    let me = (await t.request('GET', '/api/user', ann.creds)).body;
    assert.equal(me.email, 'ann@example.com', 'unchanged until confirmed');
    assert.equal(me.name, 'Ann A.', 'the other fields are applied at once');
    const ph = (await t.request('GET', '/api/users/@me/', ann.creds)).body;
    assert.deepEqual([ph.email, ph.pending_email, ph.is_email_verified], ['ann@example.com', 'ann.new@example.com', true]);

    const mail = await smtp.waitFor('ann.new@example.com');
    assert.equal(mail.subject, 'Confirm your new email address');
    const { path, code } = linkCode(mail);
    assert.ok(path.startsWith('/api/user/email/update?code='));
    assert.equal(await t.roster.ctx.db.selectFrom('email_verifications').select('id').where('code_hash', '=', code).executeTakeFirst(), undefined, 'only a hash is stored');

    // Someone else following the link (forwarded, or clicked while signed in as another user) confirms nothing.
    const bob = await makeUser(t, 'bob');
    const wrongUser = await t.request('GET', path, bob.creds);
    assert.deepEqual([wrongUser.status, wrongUser.body], [400, { message: 'Invalid or expired email verification code' }]);
    assert.equal((await t.request('GET', path)).status, 401);

    const ok = await t.request('GET', path, ann.creds);
    assert.equal(ok.status, 302, ok.text);
    assert.equal(ok.headers.location, '/account');
    me = (await t.request('GET', '/api/user', ann.creds)).body;
    assert.deepEqual([me.email, me.login], ['ann.new@example.com', 'ann']);
    const row = await t.roster.ctx.db.selectFrom('users').select('email_verified').where('id', '=', ann.id).executeTakeFirstOrThrow();
    assert.equal(row.email_verified, 1);
    assert.equal((await t.request('GET', '/api/users/@me/', ann.creds)).body.pending_email, null);

    const again = await t.request('GET', path, ann.creds);
    assert.equal(again.status, 400, 'a code works once');

    const logs = lines.join('\n');
    assert.ok(logs.includes('/api/user/email/update?code=[redacted]'), 'the request was logged, its code redacted');
    assert.ok(!logs.includes(code), 'the code is never logged');
  });

  it('an expired code fails and changes nothing; a newer request voids the older link', async () => {
    const cid = await makeUser(t, 'cid');
    await t.request('PUT', '/api/user', { ...cid.creds, body: { email: 'cid.first@example.com' } });
    const first = linkCode(await smtp.waitFor('cid.first@example.com'));
    await t.request('PUT', '/api/user', { ...cid.creds, body: { email: 'cid.second@example.com' } });
    const second = linkCode(await smtp.waitFor('cid.second@example.com'));
    assert.equal((await t.request('GET', first.path, cid.creds)).status, 400, 'the older link is void');

    await t.roster.ctx.db
      .updateTable('email_verifications')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', cid.id)
      .execute();
    const expired = await t.request('GET', second.path, cid.creds);
    assert.deepEqual([expired.status, expired.body.message], [400, 'Invalid or expired email verification code']);
    assert.equal((await t.request('GET', '/api/user', cid.creds)).body.email, 'cid@example.com');
  });

  it('name and login changes need no mail; a taken address is refused (Grafana 409)', async () => {
    const dee = await makeUser(t, 'dee');
    const before = smtp.messages.length;
    const r = await t.request('PUT', '/api/user', { ...dee.creds, body: { login: 'dee2', email: 'dee@example.com', name: 'Dee D.' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'User updated' }]);
    const me = (await t.request('GET', '/api/user', { basic: ['dee2', 'dee-pass-1'] })).body;
    assert.deepEqual([me.login, me.name, me.email], ['dee2', 'Dee D.', 'dee@example.com']);
    const taken = await t.request('PUT', '/api/user', { basic: ['dee2', 'dee-pass-1'], body: { email: 'ann.new@example.com' } });
    assert.deepEqual([taken.status, taken.body], [409, { message: 'Email is already being used' }]);
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(smtp.messages.length, before, 'no mail for either');
  });

  it('a login that is another address is confirmed like an email, and then sets both', async () => {
    const eve = await makeUser(t, 'eve');
    const r = await t.request('PUT', '/api/user', { ...eve.creds, body: { login: 'eve@elsewhere.example' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Email sent for verification' }]);
    assert.equal((await t.request('GET', '/api/user', eve.creds)).body.login, 'eve');
    const { path } = linkCode(await smtp.waitFor('eve@elsewhere.example'));
    assert.equal((await t.request('GET', path, eve.creds)).status, 302);
    const me = (await t.request('GET', '/api/user', { basic: ['eve@elsewhere.example', 'eve-pass-1'] })).body;
    assert.deepEqual([me.login, me.email], ['eve@elsewhere.example', 'eve@elsewhere.example']);
  });
});

describe('email changes without SMTP', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('a self-service email change is refused (412, saying why) and the store is unchanged', async () => {
    const fay = await makeUser(t, 'fay');
    const snapshot = async () => ({
      // Everything but last_seen_at, which each signed-in request moves.
      user: { ...(await t.roster.ctx.db.selectFrom('users').selectAll().where('id', '=', fay.id).executeTakeFirstOrThrow()), last_seen_at: '' },
      pending: await t.roster.ctx.db.selectFrom('email_verifications').selectAll().execute(),
      outbox: await t.roster.ctx.db.selectFrom('mail_outbox').selectAll().execute(),
    });
    const before = await snapshot();
    const r = await t.request('PUT', '/api/user', { ...fay.creds, body: { login: 'fay', email: 'fay.new@example.com', name: 'Fay F.' } });
    assert.equal(r.status, 412, r.text);
    assert.match(r.body.message, /confirmed by a link sent to the new address.*cannot send mail.*ROSTER_SMTP_URL/);
    assert.deepEqual(await snapshot(), before);
  });

  it('other fields still change; admins set addresses, which count as verified', async () => {
    const gus = await makeUser(t, 'gus');
    const r = await t.request('PUT', '/api/user', { ...gus.creds, body: { login: 'gus', email: 'gus@example.com', name: 'Gus G.' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'User updated' }]);
    await t.roster.ctx.db.updateTable('users').set({ email_verified: 0 }).where('id', '=', gus.id).execute();
    const admin = await t.request('PUT', `/api/users/${gus.id}`, { ...t.admin, body: { login: 'gus', email: 'gus.new@example.com' } });
    assert.deepEqual([admin.status, admin.body], [200, { message: 'User updated' }]);
    const row = await t.roster.ctx.db.selectFrom('users').select(['email', 'email_verified', 'name']).where('id', '=', gus.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { email: 'gus.new@example.com', email_verified: 1, name: 'Gus G.' });

    // The operator at the shell sets it as well, verified.
    await t.roster.ctx.db.updateTable('users').set({ email_verified: 0 }).where('id', '=', gus.id).execute();
    const cli = await runCli(t.config.databaseUrl, ['user', 'set-email', 'gus', 'Gus.Cli@Example.com', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(cli.json(), { id: gus.id, login: 'gus', email: 'gus.cli@example.com', emailVerified: true });
  });
});
