// docs/compat/grafana.md#org-invites: /api/org/invites and the invitee's /api/user/invite/...,
// as Grafana's pkg/api/org_invite.go answers them, in the invites table the PostHog face shares.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Creds, type TestRoster } from '../helpers/roster.ts';
import { inviteCode, TestSmtp } from '../helpers/smtp.ts';

const TEMP_USER_KEYS = ['id', 'orgId', 'name', 'email', 'role', 'invitedByLogin', 'invitedByEmail', 'invitedByName', 'code', 'status', 'url', 'emailSent', 'emailSentOn', 'createdOn'];
const SMTP_MESSAGE = "SMTP not configured, check your grafana.ini config file's [smtp] section";

async function makeUser(t: TestRoster, login: string, orgId: number, role: string): Promise<Creds & { id: number }> {
  const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, name: `${login} name`, password: `${login}-password`, orgId } });
  assert.equal(r.status, 200, r.text);
  const p = await t.request('PATCH', `/api/orgs/${orgId}/users/${r.body.id}`, { ...t.admin, body: { role } });
  assert.equal(p.status, 200, p.text);
  return { basic: [login, `${login}-password`], headers: { 'x-grafana-org-id': String(orgId) }, id: r.body.id };
}

describe('Grafana org invites', () => {
  let t: TestRoster;
  let boss: Creds & { id: number };
  let editor: Creds & { id: number };
  let bee: Creds & { id: number };
  let orgB: number;

  const invite = (creds: Creds, body: unknown) => t.request('POST', '/api/org/invites', { ...creds, body });
  const list = async (creds: Creds) => {
    const r = await t.request('GET', '/api/org/invites', creds);
    assert.equal(r.status, 200, r.text);
    return r.body as any[];
  };
  const inviteRows = () => t.roster.ctx.db.selectFrom('invites').select(['id', 'email', 'status', 'org_id']).orderBy('created_at').execute();
  const userCount = async () =>
    Number(
      (
        await t.roster.ctx.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const complete = (body: unknown) => t.request('POST', '/api/user/invite/complete', { body });
  /** A new invite's code, as handed back to the inviter when not mailed. */
  const newInvite = async (creds: Creds, email: string, role = 'Viewer') => {
    const r = await invite(creds, { loginOrEmail: email, name: 'Invitee', role });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.message, `Created invite for ${email}`);
    return r.body.code as string;
  };

  before(async () => {
    t = await startRoster();
    orgB = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Org B' } })).body.orgId;
    boss = await makeUser(t, 'boss', 1, 'Admin');
    editor = await makeUser(t, 'ed', 1, 'Editor');
    bee = await makeUser(t, 'bee', orgB, 'Admin');
  });
  after(() => t.close());

  it('an existing user (by login or email) is added at once, with Grafana’s message; twice is 412', async () => {
    const r = await invite(boss, { loginOrEmail: 'bee@example.com', role: 'Editor' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { message: 'Existing Grafana user bee name added to org Main Org.', userId: bee.id });
    const again = await invite(boss, { loginOrEmail: 'bee', role: 'Viewer' });
    assert.deepEqual([again.status, again.body], [412, { message: 'User bee is already added to organization' }]);
    const member = (await t.request('GET', '/api/org/users', boss)).body.find((u: any) => u.userId === bee.id);
    assert.equal(member.role, 'Editor');
    assert.deepEqual(await list(boss), []);
  });

  it('a new address gets an invite: its code is handed back once, and the list shows TempUserDTO', async () => {
    const code = await newInvite(boss, 'new.person@example.com', 'Editor');
    assert.match(code, /^[A-Za-z0-9_-]{40,}$/);
    const [item] = await list(boss);
    assert.deepEqual(Object.keys(item), TEMP_USER_KEYS);
    assert.equal(typeof item.id, 'number');
    assert.ok(Number.isSafeInteger(item.id));
    assert.deepEqual(
      { ...item, id: 0, code: '', createdOn: '' },
      {
        id: 0,
        orgId: 1,
        name: 'Invitee',
        email: 'new.person@example.com',
        role: 'Editor',
        invitedByLogin: 'boss',
        invitedByEmail: 'boss@example.com',
        invitedByName: 'boss name',
        code: '',
        status: 'InvitePending',
        url: '',
        emailSent: false,
        emailSentOn: '0001-01-01T00:00:00Z',
        createdOn: '',
      },
    );
    // The secret code is never listed: the invite's id stands in its place.
    assert.notEqual(item.code, code);
    const row = await t.roster.ctx.db.selectFrom('invites').selectAll().where('id', '=', item.code).executeTakeFirstOrThrow();
    assert.equal(Date.parse(row.expires_at) - Date.parse(row.created_at), 24 * 3600 * 1000, 'Grafana’s 24h lifetime');
    const info = await t.request('GET', `/api/user/invite/${encodeURIComponent(code)}`);
    assert.deepEqual([info.status, info.body], [200, { email: 'new.person@example.com', name: 'Invitee', username: 'new.person@example.com', invitedBy: 'boss name', orgName: 'Main Org.' }]);
    // The id that members see opens nothing.
    assert.equal((await t.request('GET', `/api/user/invite/${item.code}`)).status, 404);
    await t.request('DELETE', `/api/org/invites/${item.code}/revoke`, boss);
  });

  it('bad input changes nothing: invalid role, a role above the caller’s, mail without SMTP, a non-Admin, a missing loginOrEmail', async () => {
    const before = await inviteRows();
    let r = await invite(boss, { loginOrEmail: 'x@example.com', role: 'Owner' });
    assert.deepEqual([r.status, r.body], [400, { message: 'Invalid role specified' }]);
    r = await invite(editor, { loginOrEmail: 'x@example.com', role: 'Admin' });
    assert.equal(r.status, 403);
    assert.match(r.body.message, /org\.users:add/);
    r = await invite(editor, { loginOrEmail: 'x@example.com', role: 'Viewer' });
    assert.equal(r.status, 403);
    r = await invite(boss, { loginOrEmail: 'x@example.com', role: 'Viewer', sendEmail: true });
    assert.deepEqual([r.status, r.body], [412, { message: SMTP_MESSAGE }]);
    r = await invite(boss, { loginOrEmail: '', role: 'Viewer' });
    assert.deepEqual([r.status, r.body], [400, { message: 'bad request data' }]);
    r = await invite(boss, { loginOrEmail: null, role: 'Viewer' });
    assert.deepEqual([r.status, r.body], [400, { message: 'bad request data' }]);
    assert.equal((await t.request('GET', '/api/org/invites', editor)).status, 403);
    assert.deepEqual(await inviteRows(), before);
  });

  it('completing signs up with the invite’s address, joins only the invite’s org with its role and signs in; a code works once', async () => {
    const code = await newInvite(bee, 'joiner@example.com', 'Editor');
    const users = await userCount();
    // Another address than the invite's.
    let r = await complete({ inviteCode: code, email: 'someone.else@example.com', username: 'joiner', password: 'joiner-password' });
    assert.deepEqual([r.status, r.body], [400, { message: 'The provided email is different from the address that is found in the invite' }]);
    // A login already taken.
    r = await complete({ inviteCode: code, email: 'joiner@example.com', username: 'boss', password: 'joiner-password' });
    assert.deepEqual([r.status, r.body], [412, { message: "User with email 'joiner@example.com' or username 'boss' already exists" }]);
    // A password the policy refuses.
    r = await complete({ inviteCode: code, email: 'joiner@example.com', username: 'joiner', password: 'short' });
    assert.equal(r.status, 400);
    r = await complete({ inviteCode: code, email: 'not an address', username: 'joiner', password: 'joiner-password' });
    assert.deepEqual([r.status, r.body], [400, { message: 'Invalid email address provided' }]);
    assert.equal(await userCount(), users);
    assert.equal((await t.request('GET', `/api/user/invite/${encodeURIComponent(code)}`)).status, 200, 'still pending');

    r = await complete({ inviteCode: code, email: 'Joiner@Example.com', username: ' joiner ', name: 'Joiner', password: 'joiner-password', confirmPassword: 'joiner-password' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.message, 'User created and logged in');
    const cookie = String(r.headers['set-cookie']).split(';')[0];
    assert.match(cookie, /^grafana_session=.+/);
    const me = await t.request('GET', '/api/user', { cookie });
    assert.deepEqual([me.body.id, me.body.login, me.body.email, me.body.name, me.body.orgId], [r.body.id, 'joiner', 'joiner@example.com', 'Joiner', orgB]);
    const orgs = await t.request('GET', '/api/user/orgs', { cookie });
    assert.deepEqual(orgs.body, [{ orgId: orgB, name: 'Org B', role: 'Editor' }], 'no auto-assign org');
    // Not mailed, so the address is not proven.
    const row = await t.roster.ctx.db.selectFrom('users').select('email_verified').where('id', '=', r.body.id).executeTakeFirstOrThrow();
    assert.equal(row.email_verified, 0);

    r = await complete({ inviteCode: code, email: 'joiner@example.com', username: 'joiner2', password: 'joiner-password' });
    assert.deepEqual([r.status, r.body], [412, { message: 'Invite cannot be used in status Completed' }]);
    assert.equal((await t.request('GET', `/api/user/invite/${encodeURIComponent(code)}`)).status, 404);
    assert.deepEqual(await list(bee), []);
    r = await complete({ inviteCode: 'no-such-code', email: 'joiner@example.com', username: 'joiner3', password: 'joiner-password' });
    assert.deepEqual([r.status, r.body], [404, { message: 'Invite not found' }]);
    assert.equal(await userCount(), users + 1);
  });

  it('revoked and expired invites are refused with their status; revoking takes the code or the listed id', async () => {
    const code = await newInvite(boss, 'revoked@example.com');
    let r = await t.request('DELETE', `/api/org/invites/${encodeURIComponent(code)}/revoke`, boss);
    assert.deepEqual([r.status, r.body], [200, { message: 'Invite revoked' }]);
    assert.equal((await t.request('GET', `/api/user/invite/${encodeURIComponent(code)}`)).status, 404);
    r = await complete({ inviteCode: code, email: 'revoked@example.com', username: 'revoked', password: 'revoked-password' });
    assert.deepEqual([r.status, r.body], [412, { message: 'Invite cannot be used in status Revoked' }]);

    const code2 = await newInvite(boss, 'listed@example.com');
    const [item] = await list(boss);
    r = await t.request('DELETE', `/api/org/invites/${item.code}/revoke`, boss);
    assert.equal(r.status, 200);
    assert.deepEqual(await list(boss), []);
    r = await complete({ inviteCode: code2, email: 'listed@example.com', username: 'listed', password: 'listed-password' });
    assert.equal(r.status, 412);

    const code3 = await newInvite(boss, 'late@example.com');
    await t.roster.ctx.db
      .updateTable('invites')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('email', '=', 'late@example.com')
      .execute();
    assert.deepEqual(await list(boss), [], 'expired invites are not pending');
    assert.equal((await t.request('GET', `/api/user/invite/${encodeURIComponent(code3)}`)).status, 404);
    r = await complete({ inviteCode: code3, email: 'late@example.com', username: 'late', password: 'late-password' });
    assert.deepEqual([r.status, r.body], [412, { message: 'Invite cannot be used in status Expired' }]);
    r = await t.request('DELETE', '/api/org/invites/no-such-code/revoke', boss);
    assert.deepEqual([r.status, r.body], [404, { message: 'Invite not found' }]);
  });

  it('re-inviting after a revoke: the old code stays revoked, the new one works once', async () => {
    const old = await newInvite(boss, 'again@example.com');
    const [item] = await list(boss);
    await t.request('DELETE', `/api/org/invites/${item.code}/revoke`, boss);
    const fresh = await newInvite(boss, 'again@example.com', 'Editor');
    const form = { email: 'again@example.com', username: 'again', password: 'again-password' };
    let r = await complete({ ...form, inviteCode: old });
    assert.deepEqual([r.status, r.body], [412, { message: 'Invite cannot be used in status Revoked' }]);
    r = await complete({ ...form, inviteCode: fresh });
    assert.equal(r.status, 200, r.text);
    // The member leaves; the used code does not bring them back.
    assert.equal((await t.request('DELETE', `/api/orgs/1/users/${r.body.id}`, t.admin)).status, 200);
    r = await complete({ ...form, username: 'again2', inviteCode: fresh });
    assert.deepEqual([r.status, r.body], [412, { message: 'Invite cannot be used in status Completed' }]);
  });

  it('another org’s admin neither sees nor revokes an invite; a server admin may revoke it', async () => {
    const code = await newInvite(boss, 'foreign@example.com');
    const [item] = await list(boss);
    assert.deepEqual(await list(bee), [], 'org B lists only its own');
    for (const ref of [code, item.code]) {
      const r = await t.request('DELETE', `/api/org/invites/${encodeURIComponent(ref)}/revoke`, bee);
      assert.deepEqual([r.status, r.body], [403, { message: 'Permission denied: not permitted to revoke invite' }]);
    }
    assert.equal((await t.request('DELETE', `/api/org/invites/${item.code}/revoke`, editor)).status, 403);
    assert.equal((await list(boss)).length, 1, 'still pending');
    const r = await t.request('DELETE', `/api/org/invites/${item.code}/revoke`, { ...t.admin, headers: { 'x-grafana-org-id': String(orgB) } });
    assert.equal(r.status, 200);
    assert.deepEqual(await list(boss), []);
  });

  it('one store for every face: PostHog lists and withdraws Grafana’s invites, and Grafana lists PostHog’s', async () => {
    await newInvite(boss, 'cross@example.com', 'Admin');
    const uuid = (await t.roster.ctx.db.selectFrom('orgs').select('uuid').where('id', '=', 1).executeTakeFirstOrThrow()).uuid;
    const base = `/api/organizations/${uuid}/invites/`;
    const ph = await t.request('GET', base, boss);
    assert.equal(ph.status, 200, ph.text);
    const seen = ph.body.results.find((i: any) => i.target_email === 'cross@example.com');
    assert.equal(seen.level, 8);
    const made = await t.request('POST', base, { ...boss, body: { target_email: 'from.posthog@example.com', level: 1 } });
    assert.equal(made.status, 201, made.text);
    const listed = await list(boss);
    assert.deepEqual(
      listed.map((i) => [i.email, i.role, i.code]),
      [
        ['from.posthog@example.com', 'Viewer', made.body.id],
        ['cross@example.com', 'Admin', seen.id],
      ],
      'newest first, as Grafana orders them',
    );
    assert.equal((await t.request('DELETE', `${base}${seen.id}/`, boss)).status, 204);
    assert.equal((await t.request('DELETE', `/api/org/invites/${made.body.id}/revoke`, boss)).status, 200);
    assert.deepEqual(await list(boss), []);
    const left = (await t.request('GET', base, boss)).body.results.map((i: any) => i.target_email);
    assert.deepEqual(left, ['late@example.com'], 'PostHog lists expired invites; the withdrawn ones are gone');
  });

  it('invites are audited', async () => {
    const rows = await t.roster.ctx.db.selectFrom('audit_events').select('action').where('action', 'like', 'invite.%').execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['invite.create', 'invite.revoke', 'invite.complete']) assert.ok(actions.has(a), a);
  });
});

describe('Grafana org invites with mail', () => {
  let t: TestRoster;
  const smtp = new TestSmtp();
  before(async () => {
    await smtp.start();
    t = await startRoster({ ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: 'Roster <roster@example.com>', ROSTER_USER_INVITE_MAX_LIFETIME: '2h' });
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  it('sendEmail mails the code (never answered); its holder signs up with a verified address', async () => {
    const r = await t.request('POST', '/api/org/invites', { ...t.admin, body: { loginOrEmail: 'mailed@example.com', name: 'Mailed', role: 'Viewer', sendEmail: true } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Sent invite to mailed@example.com' }]);
    const [item] = (await t.request('GET', '/api/org/invites', t.admin)).body;
    assert.equal(item.emailSent, true);
    assert.equal(item.emailSentOn, item.createdOn);
    const row = await t.roster.ctx.db.selectFrom('invites').selectAll().where('id', '=', item.code).executeTakeFirstOrThrow();
    assert.equal(Date.parse(row.expires_at) - Date.parse(row.created_at), 2 * 3600 * 1000, 'ROSTER_USER_INVITE_MAX_LIFETIME');
    const mail = await smtp.waitFor('mailed@example.com');
    assert.match(mail.subject, /invited you to join Main Org\./);
    assert.match(mail.text, /POST http:\/\/\S+\/api\/user\/invite\/complete\n/);
    const code = inviteCode(mail);
    const done = await t.request('POST', '/api/user/invite/complete', { body: { inviteCode: code, email: 'mailed@example.com', username: 'mailed', password: 'mailed-password' } });
    assert.equal(done.status, 200, done.text);
    const user = await t.roster.ctx.db.selectFrom('users').select(['email_verified', 'login']).where('id', '=', done.body.id).executeTakeFirstOrThrow();
    assert.deepEqual(user, { email_verified: 1, login: 'mailed' });
  });

  it('without sendEmail nothing is mailed and the code is handed back', async () => {
    const r = await t.request('POST', '/api/org/invites', { ...t.admin, body: { loginOrEmail: 'quiet@example.com', role: 'Viewer' } });
    assert.equal(r.body.message, 'Created invite for quiet@example.com');
    assert.ok(r.body.code);
    const queued = await t.roster.ctx.db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'quiet@example.com').execute();
    assert.equal(queued.length, 0);
  });
});
