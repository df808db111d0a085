// Mail goes through the outbox: written with the change that causes it, sent by a worker with
// retries, kept across a relay outage and a restart, sent once even with two processes on one
// database, and never logged with the SMTP password or a code.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, startRosterOn, type TestRoster } from '../helpers/roster.ts';
import { inviteCode, SMTP_PASSWORD, TestSmtp } from '../helpers/smtp.ts';

const FROM = 'Roster <roster@corp.example>';
const FAST = { mail: { pollMs: 100, retryBaseMs: 100 } };

async function orgUuid(t: TestRoster): Promise<string> {
  return (await t.request('GET', '/api/organizations/', t.admin)).body.results[0].id;
}

async function invite(t: TestRoster, org: string, email: string) {
  const r = await t.request('POST', `/api/organizations/${org}/invites/`, { ...t.admin, body: { target_email: email } });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function outbox(t: TestRoster) {
  return t.roster.ctx.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
}

async function until(what: string, check: () => Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('mail outbox', () => {
  let db: { url: string; drop(): Promise<void> };
  const smtp = new TestSmtp();
  before(async () => {
    db = await freshDatabase();
    await smtp.start();
  });
  after(async () => {
    await smtp.stop();
    await db.drop();
  });

  it('a message queued while the relay is down is delivered by the next process on the database', async () => {
    await smtp.stop();
    const lines: string[] = [];
    const a = await startRosterOn(db.url, { ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: FROM, ROSTER_LOG_LEVEL: 'trace' }, { ...FAST, logStream: { write: (l) => void lines.push(l) } });
    const org = await orgUuid(a);
    const inv = await invite(a, org, 'outage@corp.example');
    assert.equal(inv.emailing_attempt_made, true);
    await until('a failed attempt', async () => (await outbox(a))[0]?.attempts >= 1);
    const [row] = await outbox(a);
    assert.equal(row.sent_at, null);
    assert.equal(row.failed_at, null);
    assert.match(row.last_error ?? '', /ECONNREFUSED|ECONNECTION/);
    assert.ok(row.body.includes('Code:'), 'the text is kept until sent');
    await a.close();

    await smtp.start();
    const b = await startRosterOn(db.url, { ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: FROM, ROSTER_LOG_LEVEL: 'trace' }, { ...FAST, logStream: { write: (l) => void lines.push(l) } });
    try {
      const mail = await smtp.waitFor('outage@corp.example');
      const code = inviteCode(mail);
      await until('the row marked sent', async () => (await outbox(b))[0]?.sent_at !== null);
      const [sent] = await outbox(b);
      assert.equal(sent.body, '', 'the text (with its code) is wiped once sent');
      assert.equal(sent.claim_token, null);
      assert.equal(smtp.count('outage@corp.example'), 1);
      const logs = lines.join('\n');
      assert.ok(logs.includes('mail outbox'), 'the sender logged its attempts');
      for (const secret of [SMTP_PASSWORD, encodeURIComponent(SMTP_PASSWORD), code]) assert.ok(!logs.includes(secret), `logs hold no ${secret.slice(0, 6)}...`);
    } finally {
      await b.close();
    }
  });

  it('a temporary refusal (451) is retried with backoff until the relay accepts', async () => {
    const t = await startRosterOn(db.url, { ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: FROM }, FAST);
    try {
      smtp.refuseNext = 2;
      const refusedBefore = smtp.refused;
      const inv = await invite(t, await orgUuid(t), 'busy@corp.example');
      await smtp.waitFor('busy@corp.example');
      assert.equal(smtp.refused - refusedBefore, 2);
      await until('the row marked sent', async () => {
        const row = (await outbox(t)).find((r) => r.to_address === 'busy@corp.example');
        return !!row?.sent_at;
      });
      const row = (await outbox(t)).find((r) => r.to_address === 'busy@corp.example')!;
      assert.equal(row.attempts, 3);
      assert.equal(row.last_error, null);
      assert.ok(inv.id);
    } finally {
      await t.close();
    }
  });

  it('a permanent refusal (550) is given up at once, its text wiped', async () => {
    const t = await startRosterOn(db.url, { ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: FROM }, FAST);
    try {
      smtp.refuseCode = 550;
      smtp.refuseNext = 1;
      await invite(t, await orgUuid(t), 'nobody@corp.example');
      await until('the row given up', async () => !!(await outbox(t)).find((r) => r.to_address === 'nobody@corp.example')?.failed_at);
      const row = (await outbox(t)).find((r) => r.to_address === 'nobody@corp.example')!;
      assert.equal(row.attempts, 1);
      assert.equal(row.body, '');
      assert.equal(smtp.count('nobody@corp.example'), 0);
      smtp.refuseCode = undefined;
    } finally {
      await t.close();
    }
  });

  it('two processes on one database send each message exactly once', async () => {
    const one = await startRosterOn(db.url, { ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: FROM }, { mail: { pollMs: 20, retryBaseMs: 100 } });
    const two = await startRosterOn(db.url, { ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: FROM }, { mail: { pollMs: 20, retryBaseMs: 100 } });
    try {
      const org = await orgUuid(one);
      const addresses = Array.from({ length: 20 }, (_, i) => `bulk${i}@corp.example`);
      const r = await one.request('POST', `/api/organizations/${org}/invites/bulk/`, { ...one.admin, body: addresses.map((target_email) => ({ target_email })) });
      assert.equal(r.status, 201, r.text);
      // The second process takes part: it is nudged by its own writes and polls for the rest.
      await invite(two, org, 'from-two@corp.example');
      for (const a of [...addresses, 'from-two@corp.example']) await smtp.waitFor(a);
      await until('every row sent', async () => (await outbox(one)).every((row) => row.sent_at || row.failed_at));
      // Give a duplicate the time to show up.
      await new Promise((res) => setTimeout(res, 300));
      for (const a of [...addresses, 'from-two@corp.example']) assert.equal(smtp.count(a), 1, a);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('close() stops the sender: a row left unsent stays unsent until a process starts again', async () => {
    await smtp.stop();
    const t = await startRosterOn(db.url, { ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: FROM }, { mail: { pollMs: 20, retryBaseMs: 20 } });
    await invite(t, await orgUuid(t), 'after-close@corp.example');
    await until('a failed attempt', async () => !!(await outbox(t)).find((r) => r.to_address === 'after-close@corp.example')?.attempts);
    await t.close();
    await smtp.start();
    // The closed process would have retried within 20-40 ms.
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(smtp.count('after-close@corp.example'), 0);
    const again = await startRosterOn(db.url, { ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: FROM }, FAST);
    try {
      await smtp.waitFor('after-close@corp.example');
    } finally {
      await again.close();
    }
  });
});
