// Issue 15 item 5: sign-in must not tell unknown accounts from known ones (the KDF runs either
// way), must give each account one failed-login budget whatever alias is typed, must also budget
// each client address, and must turn control characters away without a query (NUL: PostgreSQL).
import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, authHeaders, startRoster, type TestRoster } from '../helpers/roster.ts';
// Namespace imports: each test, not the whole file, fails where a seam or constant is missing.
import * as secrets from '../../src/domain/secrets.ts';
import * as throttle from '../../src/domain/login-throttle.ts';
import { createUser } from '../../src/domain/users.ts';

const { MAX_FAILED_LOGINS, MAX_FAILED_LOGINS_PER_IP } = throttle as { MAX_FAILED_LOGINS: number; MAX_FAILED_LOGINS_PER_IP: number };
const kdfCount = () => (secrets as { kdfRuns?: { count: number } }).kdfRuns?.count ?? NaN;

const BLOCKED = 'login-attempt.blocked';

describe('login hardening', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
    for (const login of ['victim', 'other', 'bystander']) {
      const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, password: `${login}-password` } });
      assert.equal(r.status, 200, r.text);
    }
    await createUser(t.roster.ctx, null, { login: 'nopass', email: 'nopass@example.com' });
  });
  after(() => t.close());

  /** Basic sign-in from a client address; the errutil messageId or 'ok'. */
  const basicFrom = async (ip: string, login: string, password: string) => {
    const r = await t.roster.app.inject({ method: 'GET', url: '/api/user', remoteAddress: ip, headers: authHeaders({ basic: [login, password] }) });
    return r.statusCode === 200 ? 'ok' : (JSON.parse(r.body).messageId as string);
  };
  const forgetAttempts = () => t.roster.ctx.db.deleteFrom('login_attempts').execute();

  describe('the KDF runs for every sign-in that reaches the password check', () => {
    const kdfDuring = async (run: () => Promise<unknown>) => {
      const before = kdfCount();
      await run();
      return kdfCount() - before;
    };

    it('unknown user, user without a password, wrong password: one KDF run each (Basic and POST /login)', async () => {
      await forgetAttempts();
      const cases: [string, string][] = [
        ['ghost', 'whatever-1'],
        ['nopass', 'whatever-1'],
        ['victim', 'wrong-password'],
      ];
      for (const [login, password] of cases) {
        assert.equal(await kdfDuring(() => basicFrom('192.0.2.10', login, password)), 1, `Basic ${login}`);
        const n = await kdfDuring(() => t.request('POST', '/login', { body: { user: login, password } }));
        assert.equal(n, 1, `POST /login ${login}`);
      }
      await forgetAttempts();
    });

    it('and both answers are the same bad-credentials', async () => {
      assert.equal(await basicFrom('192.0.2.11', 'ghost', 'whatever-1'), 'password-auth.failed');
      assert.equal(await basicFrom('192.0.2.11', 'victim', 'wrong-password'), 'password-auth.failed');
      const a = await t.request('POST', '/login', { body: { user: 'ghost', password: 'x' } });
      const b = await t.request('POST', '/login', { body: { user: 'victim', password: 'x' } });
      assert.deepEqual([a.status, a.body], [b.status, b.body]);
      await forgetAttempts();
    });
  });

  describe('one budget per account', () => {
    it(`the login and the email share ${MAX_FAILED_LOGINS} guesses, not ${MAX_FAILED_LOGINS} each`, async () => {
      await forgetAttempts();
      for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
        assert.equal(await basicFrom('192.0.2.20', 'victim', `wrong-${i}`), 'password-auth.failed');
      }
      // The 6th guess, by email in another case, from another address: the account is blocked.
      assert.equal(await basicFrom('192.0.2.21', 'VICTIM@example.com', 'wrong-5'), BLOCKED);
      assert.equal(await basicFrom('192.0.2.21', 'victim@example.com', 'victim-password'), BLOCKED);
      assert.equal(await basicFrom('192.0.2.21', 'Victim', 'victim-password'), BLOCKED);
      const session = await t.request('POST', '/login', { body: { user: 'victim@EXAMPLE.com', password: 'victim-password' } });
      assert.equal(session.status, 401);
      assert.match(session.body.message, /Too many consecutive incorrect login attempts/);
      // Other accounts are not affected.
      assert.equal(await basicFrom('192.0.2.21', 'other@example.com', 'other-password'), 'ok');
    });

    it('guesses split between aliases are counted together', async () => {
      await forgetAttempts();
      for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
        const alias = i % 2 ? 'OTHER@example.com' : 'other';
        assert.equal(await basicFrom('192.0.2.22', alias, `wrong-${i}`), 'password-auth.failed');
      }
      assert.equal(await basicFrom('192.0.2.22', 'other', 'other-password'), BLOCKED);
      await forgetAttempts();
    });
  });

  describe('one budget per client address', () => {
    it(`${MAX_FAILED_LOGINS_PER_IP} failures from one address, spread over accounts, block that address for every account`, async () => {
      await forgetAttempts();
      const attacker = '198.51.100.9';
      // Spread so no single account reaches its own budget.
      const accounts = Math.ceil(MAX_FAILED_LOGINS_PER_IP / (MAX_FAILED_LOGINS - 1));
      for (let i = 0; i < MAX_FAILED_LOGINS_PER_IP; i++) {
        const login = i < MAX_FAILED_LOGINS - 1 ? 'victim' : `someone-${i % accounts}`;
        assert.equal(await basicFrom(attacker, login, `guess-${i}`), 'password-auth.failed', `attempt ${i}`);
      }
      assert.equal(await basicFrom(attacker, 'bystander', 'bystander-password'), BLOCKED);
      const viaLogin = await t.roster.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: attacker,
        headers: { 'content-type': 'application/json' },
        payload: { user: 'admin', password: ADMIN_PASSWORD },
      });
      assert.equal(viaLogin.statusCode, 401);
      // The same accounts from another address are fine: victim had 4 failures, below its budget.
      assert.equal(await basicFrom('198.51.100.10', 'bystander', 'bystander-password'), 'ok');
      assert.equal(await basicFrom('198.51.100.10', 'victim', 'victim-password'), 'ok');
      await forgetAttempts();
    });
  });

  describe('a burst of requests with one credential (its memo entry gone for all of them at once)', () => {
    const burst = (n: number, ip: string, login: string, password: string) => Promise.all(Array.from({ length: n }, () => basicFrom(ip, login, password)));

    it('runs the KDF once from one address, once per address from several', async () => {
      await forgetAttempts();
      for (const login of ['burst-a', 'burst-b']) {
        assert.equal((await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, password: `${login}-password` } })).status, 200);
      }
      let before = kdfCount();
      assert.deepEqual(await burst(12, '192.0.2.40', 'burst-a', 'burst-a-password'), Array(12).fill('ok'));
      assert.equal(kdfCount() - before, 1);
      before = kdfCount();
      const two = await Promise.all([burst(6, '192.0.2.41', 'burst-b', 'burst-b-password'), burst(6, '192.0.2.42', 'burst-b', 'burst-b-password')]);
      assert.deepEqual(two.flat(), Array(12).fill('ok'));
      assert.equal(kdfCount() - before, 2);
    });

    it('a credential in use is verified again in the background before its memo entry runs out', async () => {
      await forgetAttempts();
      assert.equal((await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'burst-e', email: 'burst-e@example.com', password: 'burst-e-password' } })).status, 200);
      assert.equal(await basicFrom('192.0.2.45', 'burst-e', 'burst-e-password'), 'ok');
      // 55 s later (the entry lives 60 s): still answered from the entry, and renewed meanwhile.
      mock.timers.enable({ apis: ['Date'], now: Date.now() + 55_000 });
      try {
        let before = kdfCount();
        assert.equal(await basicFrom('192.0.2.45', 'burst-e', 'burst-e-password'), 'ok');
        for (let i = 0; i < 1000 && kdfCount() === before; i++) await new Promise((r) => setImmediate(r));
        assert.equal(kdfCount() - before, 1, 'one renewal');
        // While the renewal runs they join it, after it the entry is new: either way no KDF.
        before = kdfCount();
        assert.deepEqual(await burst(5, '192.0.2.45', 'burst-e', 'burst-e-password'), Array(5).fill('ok'));
        assert.equal(kdfCount() - before, 0);
      } finally {
        mock.timers.reset();
      }
    });

    it('every failed attempt of a burst counts: the account budget is spent as one by one', async () => {
      await forgetAttempts();
      assert.equal((await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'burst-c', email: 'burst-c@example.com', password: 'burst-c-password' } })).status, 200);
      const answers = await burst(MAX_FAILED_LOGINS, '192.0.2.43', 'burst-c', 'the-same-wrong-guess');
      assert.deepEqual(answers, Array(MAX_FAILED_LOGINS).fill('password-auth.failed'));
      assert.equal(await basicFrom('192.0.2.44', 'burst-c', 'burst-c-password'), BLOCKED);
      await forgetAttempts();
    });

    it('a blocked address does not ride on a verification running for another address', async () => {
      await forgetAttempts();
      assert.equal((await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'burst-d', email: 'burst-d@example.com', password: 'burst-d-password' } })).status, 200);
      const attacker = '198.51.100.40';
      for (let i = 0; i < MAX_FAILED_LOGINS_PER_IP; i++) assert.equal(await basicFrom(attacker, `nobody-${i}`, 'guess'), 'password-auth.failed');
      const [fine, blocked] = await Promise.all([burst(4, '198.51.100.41', 'burst-d', 'burst-d-password'), burst(4, attacker, 'burst-d', 'burst-d-password')]);
      assert.deepEqual(fine, Array(4).fill('ok'));
      assert.deepEqual(blocked, Array(4).fill(BLOCKED));
      await forgetAttempts();
    });
  });

  describe('control characters in a sign-in', () => {
    it('Basic: NUL or a control character in the login or password is a plain 401 bad credentials', async () => {
      for (const [login, password] of [
        ['adm\u0000in', ADMIN_PASSWORD],
        ['admin', `${ADMIN_PASSWORD}\u0000`],
        ['admin\u0007', 'x'],
        ['admin', 'a\u001bb'],
      ]) {
        const r = await t.request('GET', '/api/user', { basic: [login, password] });
        assert.equal(r.status, 401, JSON.stringify(login) + r.text);
        assert.equal(r.body.messageId, 'password-auth.failed');
      }
      assert.equal((await t.request('GET', '/api/user', t.admin)).status, 200);
    });

    it('POST /login: 400 bad request data', async () => {
      for (const body of [
        { user: 'adm\u0000in', password: ADMIN_PASSWORD },
        { user: 'admin', password: `${ADMIN_PASSWORD}\u0000` },
        { user: 'admin', password: 'a\u0001b' },
      ]) {
        const r = await t.request('POST', '/login', { body });
        assert.equal(r.status, 400, r.text);
        assert.deepEqual(r.body, { message: 'bad request data' });
      }
    });

    it('the other faces answer their own 401 too', async () => {
      const basic: [string, string] = ['adm\u0000in', 'x'];
      assert.equal((await t.request('GET', '/api/roster/v1/orgs/1/settings', { basic })).status, 401);
      assert.equal((await t.request('GET', '/api/users/@me', { basic })).status, 401);
    });
  });
});
