// ROSTER_SMTP_URL / ROSTER_SMTP_FROM are validated at start, with messages that name the setting
// and never repeat the URL's password.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';

const load = (env: Record<string, string>) => loadConfig({}, { ROSTER_DATABASE_URL: 'sqlite::memory:', ...env });

function refused(env: Record<string, string>, pattern: RegExp): string {
  let message = '';
  assert.throws(
    () => load(env),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, String(err));
      message = (err as Error).message;
      return true;
    },
  );
  assert.match(message, pattern);
  return message;
}

describe('SMTP settings', () => {
  it('accepts smtp:// and smtps:// with a sender, and no mail at all', () => {
    const c = load({ ROSTER_SMTP_URL: 'smtps://mailer:p%40ss@mail.example.com:465', ROSTER_SMTP_FROM: 'Roster <roster@example.com>' });
    assert.deepEqual([c.smtpUrl, c.smtpFrom], ['smtps://mailer:p%40ss@mail.example.com:465', 'Roster <roster@example.com>']);
    assert.equal(load({ ROSTER_SMTP_URL: 'smtp://127.0.0.1:2525', ROSTER_SMTP_FROM: 'roster@example.com' }).smtpUrl, 'smtp://127.0.0.1:2525');
    const none = load({});
    assert.deepEqual([none.smtpUrl, none.smtpFrom], [undefined, undefined]);
    // Flags win over the environment, as for every setting.
    assert.equal(loadConfig({ smtpUrl: 'smtp://flag.example:25', smtpFrom: 'a@b.example' }, { ROSTER_DATABASE_URL: 'sqlite::memory:' }).smtpUrl, 'smtp://flag.example:25');
  });

  it('refuses a wrong scheme, a missing host, a missing or malformed sender, a sender without a URL; never echoing the password', () => {
    const m1 = refused({ ROSTER_SMTP_URL: 'http://mailer:Sekr3t-pw@mail.example.com', ROSTER_SMTP_FROM: 'a@b.example' }, /ROSTER_SMTP_URL must start with smtp:\/\/ or smtps:\/\//);
    assert.ok(!m1.includes('Sekr3t-pw'), m1);
    const m2 = refused({ ROSTER_SMTP_URL: 'not a url Sekr3t-pw', ROSTER_SMTP_FROM: 'a@b.example' }, /ROSTER_SMTP_URL must look like smtp:\/\/user:pass@host:port/);
    assert.ok(!m2.includes('Sekr3t-pw'), m2);
    refused({ ROSTER_SMTP_URL: 'smtp://mail.example.com:25' }, /ROSTER_SMTP_FROM must be set with ROSTER_SMTP_URL/);
    refused({ ROSTER_SMTP_URL: 'smtp://mail.example.com:25', ROSTER_SMTP_FROM: 'Roster' }, /ROSTER_SMTP_FROM must be an email address/);
    refused({ ROSTER_SMTP_FROM: 'roster@example.com' }, /ROSTER_SMTP_FROM is set but ROSTER_SMTP_URL is not/);
  });
});
