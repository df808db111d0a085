// A real SMTP server in the test process (the smtp-server package) that Roster sends to: it
// keeps every message it accepts, can refuse the next ones temporarily (4xx) or be stopped and
// started again on the same port to stand for a relay that is down.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface Received {
  to: string[];
  subject: string;
  text: string;
}

export const SMTP_USER = 'roster-mailer';
export const SMTP_PASSWORD = 'Smtp-Pa55word-xyz';

export class TestSmtp {
  readonly messages: Received[] = [];
  /** The next N messages are refused, with `refuseCode` (451, a temporary failure, unless set). */
  refuseNext = 0;
  refuseCode: number | undefined;
  refused = 0;
  private server: SMTPServer | undefined;
  private waiters: (() => void)[] = [];
  port = 0;

  /** Listens on `port` (0: a free one, remembered for restarts). */
  async start(port = this.port): Promise<this> {
    const server = new SMTPServer({
      // Plain SMTP on loopback: STARTTLS would need a certificate nodemailer trusts.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, cb) => (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD ? cb(null, { user: auth.username }) : cb(new Error('Invalid username or password'))),
      onRcptTo: (_address, _session, cb) => {
        if (this.refuseNext > 0) {
          this.refuseNext--;
          this.refused++;
          const code = this.refuseCode ?? 451;
          const err = new Error(code >= 500 ? 'No such mailbox' : 'Mailbox busy, try again later') as Error & { responseCode: number };
          err.responseCode = code;
          return cb(err);
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.messages.push(
            parse(
              Buffer.concat(chunks).toString('utf8'),
              session.envelope.rcptTo.map((r) => r.address),
            ),
          );
          for (const w of this.waiters.splice(0)) w();
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  url(password = SMTP_PASSWORD): string {
    return `smtp://${SMTP_USER}:${encodeURIComponent(password)}@127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The first message to `to` (after `skip` of them), waiting up to `ms` for it to arrive. */
  async waitFor(to: string, { ms = 10_000, skip = 0 } = {}): Promise<Received> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.filter((m) => m.to.includes(to))[skip];
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${ms} ms (got ${this.messages.length} in all)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  count(to: string): number {
    return this.messages.filter((m) => m.to.includes(to)).length;
  }
}

/** Headers and the decoded text body of a single-part message. */
function parse(raw: string, to: string[]): Received {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1] ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  if (encoding === 'quoted-printable') {
    body = Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { to, subject: decodeWords(header('Subject')), text: body.replace(/\r\n/g, '\n') };
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= / =?UTF-8?B?...?=), as nodemailer writes non-ASCII subjects. */
function decodeWords(text: string): string {
  return text.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_m, kind: string, data: string) =>
    kind.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** The confirmation code in a verification mail's link. */
export function linkCode(m: Received): { path: string; code: string } {
  const link = /(https?:\/\/\S+\/api\/user\/email\/update\?code=(\S+))/.exec(m.text);
  if (!link) throw new Error(`no link in: ${m.text}`);
  const url = new URL(link[1]);
  return { path: url.pathname + url.search, code: url.searchParams.get('code')! };
}

/** The invite code in an invite mail. */
export function inviteCode(m: Received): string {
  const code = /^Code:\s+(\S+)$/m.exec(m.text);
  if (!code) throw new Error(`no code in: ${m.text}`);
  return code[1];
}

/** The code in a password reset mail's link (<public url>/user/password/reset?code=...). */
export function resetLinkCode(m: Received): { path: string; code: string } {
  const link = /(https?:\/\/\S+\/user\/password\/reset\?code=(\S+))/.exec(m.text);
  if (!link) throw new Error(`no reset link in: ${m.text}`);
  const url = new URL(link[1]);
  return { path: url.pathname + url.search, code: url.searchParams.get('code')! };
}
