// Webhooks end to end against a real HTTP receiver: signed per Standard Webhooks (checked with
// the package's verifier), in order per endpoint, retried after failures, a hanging receiver
// holding up only its own endpoint, an endpoint failing too long disabled with its Admins told,
// resend, and who may see what.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { makeOrg, makeUser } from '../oncall/fixtures.ts';
import { eventually, startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

const FAST = { pollMs: 30, retryBaseMs: 40, maxBackoffMs: 200, timeoutMs: 1000, leaseMs: 3000 };
const hooks = (orgId: number) => `/api/roster/v1/orgs/${orgId}/webhooks`;

describe('webhooks', () => {
  let t: TestRoster;
  let rx: Receiver;
  let orgId: number;
  let admin: { id: number; basic: [string, string] };
  let foreign: { id: number; basic: [string, string] };
  let foreignOrg: number;

  before(async () => {
    t = await startRoster({ ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true' }, { webhooks: { ...FAST, failureWindowMs: 400 } });
    rx = await startReceiver();
    orgId = await makeOrg(t, 'Hooked');
    admin = await makeUser(t, 'hook-admin', 'Admin', orgId);
    foreignOrg = await makeOrg(t, 'Foreign');
    foreign = await makeUser(t, 'hook-foreign', 'Admin', foreignOrg);
  });
  after(async () => {
    await t.close();
    await rx.close();
  });

  // Deliveries go on in the background, so "nothing changed" is checked on what a request could change.
  const state = async () => {
    const db = t.roster.ctx.db;
    const [w, e] = await Promise.all([
      db.selectFrom('webhooks').selectAll().orderBy('id').execute(),
      db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ]);
    return JSON.stringify({ w, e: Number(e?.n) });
  };
  const create = (body: object, creds: { basic: [string, string] } = admin, org = orgId) => t.request('POST', hooks(org), { ...creds, body });
  const addTeam = (name: string, org = orgId, creds = admin) => t.request('POST', '/api/teams', { ...creds, body: { name }, headers: { 'x-grafana-org-id': String(org) } });

  it('delivers each change signed, in order, and logs it', async () => {
    rx.answer = () => 200;
    const made = await create({ url: rx.url('/ordered'), eventTypes: ['team.create', 'team.delete'] });
    assert.equal(made.status, 201, made.text);
    assert.match(made.body.secret, /^whsec_/);
    for (let i = 0; i < 8; i++) assert.equal((await addTeam(`ordered-${i}`)).status, 200);
    const got = () => rx.received.filter((r) => r.path === '/ordered');
    await eventually('8 deliveries', () => got().length >= 8);
    const verifier = new Webhook(made.body.secret);
    const bodies = got().map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as { id: string; type: string; data: { after: { name: string } } });
    assert.deepEqual(
      bodies.map((b) => b.data.after.name),
      Array.from({ length: 8 }, (_, i) => `ordered-${i}`),
    );
    assert.ok(bodies.every((b) => b.type === 'team.create'));
    assert.deepEqual(
      got().map((r) => r.headers['webhook-id']),
      bodies.map((b) => b.id),
    );
    // A tampered body fails the same verifier.
    assert.throws(() => verifier.verify(got()[0].body.replace('ordered', 'Ordered'), got()[0].headers as Record<string, string>));
    const logUrl = `${hooks(orgId)}/${made.body.id}/deliveries`;
    // The receiver has answered the last one; Roster marks it delivered just after.
    await eventually('all marked delivered', async () => (await t.request('GET', logUrl, admin)).body.deliveries.every((d: { deliveredAt: string | null }) => d.deliveredAt));
    const log = await t.request('GET', logUrl, admin);
    assert.equal(log.status, 200, log.text);
    assert.equal(log.body.deliveries.length, 8);
    assert.ok(log.body.deliveries.every((d: { lastStatus: number }) => d.lastStatus === 200));
    const list = await t.request('GET', hooks(orgId), admin);
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes(made.body.secret), 'the secret is shown once only');
    assert.equal((await t.request('DELETE', `${hooks(orgId)}/${made.body.id}`, admin)).status, 204);
  });

  it('retries after 500s with backoff, keeping the order; resend sends again', async () => {
    let failures = 0;
    rx.answer = (r) => (r.path === '/flaky' && failures++ < 3 ? 500 : 200);
    const made = await create({ url: rx.url('/flaky'), eventTypes: ['team.create'] });
    assert.equal(made.status, 201, made.text);
    for (let i = 0; i < 3; i++) await addTeam(`flaky-${i}`);
    const ok = () => rx.received.filter((r) => r.path === '/flaky');
    await eventually('3 delivered after 3 failures', () => ok().length >= 6);
    const names = ok().map((r) => JSON.parse(r.body).data.after.name);
    assert.deepEqual(names, ['flaky-0', 'flaky-0', 'flaky-0', 'flaky-0', 'flaky-1', 'flaky-2']);
    // The log is written once the receiver has answered (a run is marked after its last POST).
    const firstLogged = async () => (await t.request('GET', `${hooks(orgId)}/${made.body.id}/deliveries`, admin)).body.deliveries.at(-1);
    await eventually('the log shows the first delivered', async () => (await firstLogged()).deliveredAt !== null);
    const first = await firstLogged();
    assert.equal(first.attempts, 4);
    assert.equal(first.lastStatus, 200);
    const again = await t.request('POST', `/api/roster/v1/orgs/${orgId}/webhook-deliveries/${first.id}/resend`, admin);
    assert.equal(again.status, 202, again.text);
    await eventually('resent', () => ok().length >= 7);
    assert.equal(JSON.parse(ok()[6].body).data.after.name, 'flaky-0');
    assert.equal(ok()[6].headers['webhook-id'], ok()[0].headers['webhook-id']);
    await t.request('DELETE', `${hooks(orgId)}/${made.body.id}`, admin);
  });

  it('a hanging receiver holds up only its own endpoint', async () => {
    rx.answer = (r) => (r.path === '/hang' ? 'hang' : 200);
    const slow = await create({ url: rx.url('/hang'), eventTypes: ['team.create'] });
    const quick = await create({ url: rx.url('/quick'), eventTypes: ['team.create'] });
    const started = Date.now();
    for (let i = 0; i < 3; i++) await addTeam(`busy-${i}`);
    await eventually('the other endpoint gets all three', () => rx.received.filter((r) => r.path === '/quick').length >= 3, 3000);
    // One request at a time: another only once the one before timed out (timeoutMs 1000); the
    // quick endpoint's runs ending must not free the hanging one's claim.
    const hung = rx.received.filter((r) => r.path === '/hang').length;
    assert.ok(hung <= 1 + Math.floor((Date.now() - started) / 1000), `one at a time to the hanging endpoint (${hung})`);
    await t.request('DELETE', `${hooks(orgId)}/${slow.body.id}`, admin);
    await t.request('DELETE', `${hooks(orgId)}/${quick.body.id}`, admin);
  });

  it('an endpoint failing past the window is disabled and its Admins are mailed; enabling resumes in order', async () => {
    let down = true;
    rx.answer = (r) => (r.path === '/down' && down ? 503 : 200);
    const made = await create({ url: rx.url('/down'), eventTypes: ['team.create'] });
    await addTeam('while-down-0');
    await addTeam('while-down-1');
    const url = `${hooks(orgId)}/${made.body.id}`;
    await eventually('disabled', async () => (await t.request('GET', url, admin)).body.enabled === false, 10_000);
    const w = (await t.request('GET', url, admin)).body;
    assert.match(w.disabledReason, /HTTP 503/);
    const mail = await t.roster.ctx.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'hook-admin@example.com').execute();
    assert.equal(mail.length, 1);
    assert.match(mail[0].subject, /webhook of Hooked was disabled/);
    const n = rx.received.filter((r) => r.path === '/down').length;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(rx.received.filter((r) => r.path === '/down').length, n, 'a disabled endpoint gets nothing');
    down = false;
    const on = await t.request('PATCH', url, { ...admin, body: { enabled: true } });
    assert.equal(on.status, 200, on.text);
    assert.equal(on.body.disabledReason, null);
    await eventually('the queued events follow, in order', () => rx.received.filter((r) => r.path === '/down' && r.headers['webhook-id']).length >= n + 2);
    const delivered = rx.received
      .filter((r) => r.path === '/down')
      .slice(n)
      .map((r) => JSON.parse(r.body).data.after.name);
    assert.deepEqual(delivered, ['while-down-0', 'while-down-1']);
    await t.request('DELETE', url, admin);
  });

  it('a foreign org Admin can neither read nor change another org’s webhooks or feed', async () => {
    const made = await create({ url: rx.url('/private'), eventTypes: [] });
    const before = await state();
    const id = made.body.id;
    for (const [method, url, body] of [
      ['GET', hooks(orgId)],
      ['POST', hooks(orgId), { url: rx.url('/steal') }],
      ['GET', `${hooks(orgId)}/${id}`],
      ['PATCH', `${hooks(orgId)}/${id}`, { url: rx.url('/steal') }],
      ['DELETE', `${hooks(orgId)}/${id}`],
      ['GET', `${hooks(orgId)}/${id}/deliveries`],
      ['POST', `/api/roster/v1/orgs/${orgId}/webhook-deliveries/1/resend`],
      ['GET', `/api/roster/v1/events?orgId=${orgId}`],
    ] as [string, string, object?][]) {
      const r = await t.request(method, url, { ...foreign, ...(body ? { body } : {}) });
      assert.equal(r.status, 403, `${method} ${url}: ${r.text}`);
    }
    // The leaked id under the foreign Admin's own org names nothing there.
    for (const [method, url] of [
      ['GET', `${hooks(foreignOrg)}/${id}`],
      ['PATCH', `${hooks(foreignOrg)}/${id}`],
      ['DELETE', `${hooks(foreignOrg)}/${id}`],
      ['GET', `${hooks(foreignOrg)}/${id}/deliveries`],
    ]) {
      const r = await t.request(method, url, { ...foreign, body: {} });
      assert.equal(r.status, 404, `${method} ${url}: ${r.text}`);
      assert.equal(r.body.error.code, 'webhook.not-found');
    }
    // A member who is no Admin is refused too.
    const editor = await makeUser(t, 'hook-editor', 'Editor', orgId);
    const afterMember = await state();
    assert.equal((await t.request('GET', hooks(orgId), editor)).status, 403);
    assert.equal((await t.request('POST', hooks(orgId), { ...editor, body: { url: rx.url('/x') } })).status, 403);
    assert.equal(await state(), afterMember);
    assert.notEqual(before, afterMember);
    await t.request('DELETE', `${hooks(orgId)}/${id}`, admin);
  });

  it('bad input is a 400 and changes nothing', async () => {
    const before = await state();
    for (const body of [
      {},
      { url: 'ftp://example.com/x' },
      { url: 'not a url' },
      { url: 'http://user:pw@example.com/' },
      { url: rx.url(), eventTypes: ['Bad Type'] },
      { url: rx.url(), eventTypes: 'team.create' },
      { url: rx.url(), extra: 1 },
      { url: 'http://x/' + 'a'.repeat(3000) },
    ]) {
      const r = await create(body);
      assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    }
    assert.equal((await t.request('GET', `${hooks(orgId)}/99999`, admin)).status, 404);
    assert.equal((await t.request('GET', `${hooks(orgId)}/9223372036854775808`, admin)).status, 404);
    assert.equal((await t.request('GET', `${hooks(999999)}`, t.admin)).status, 404);
    assert.equal(await state(), before);
  });
});

describe('webhook URLs without ROSTER_WEBHOOK_ALLOW_PRIVATE', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('refuses loopback, private and link-local addresses, including names resolving to them', async () => {
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://localhost/',
      'http://10.1.2.3/',
      'http://192.168.0.1/',
      'http://169.254.169.254/latest',
      'http://[::1]/',
      'http://[fe80::1]/',
      'http://[::ffff:127.0.0.1]/',
      'https://172.16.0.1/',
    ]) {
      const r = await t.request('POST', hooks(1), { ...t.admin, body: { url } });
      assert.equal(r.status, 400, `${url}: ${r.text}`);
      assert.equal(r.body.error.code, 'webhook.url-invalid');
      assert.equal(r.body.error.field, 'url');
    }
    const pub = await t.request('POST', hooks(1), { ...t.admin, body: { url: 'https://93.184.215.14/hook' } });
    assert.equal(pub.status, 201, pub.text);
  });
});
