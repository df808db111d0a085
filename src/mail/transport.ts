// Sends one message over SMTP (nodemailer), configured by ROSTER_SMTP_URL and ROSTER_SMTP_FROM.
// Failures are classified so the outbox knows whether trying again can help.
import { createRequire } from 'node:module';
import type { Transporter } from 'nodemailer';
import { redactSmtpUrl } from '../config.ts';

export interface Message {
  to: string;
  subject: string;
  text: string;
}

export interface MailTransport {
  send(message: Message): Promise<void>;
  close(): void;
}

/** Why a send failed, without the server's credentials: kept in the outbox row and logged. */
export class SendError extends Error {
  constructor(
    message: string,
    /** A 5xx answer: the server refuses this message for good (unknown mailbox, policy). */
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

// Loaded when SMTP is configured, not with the server: nodemailer's modules add tens of ms to
// every start (bench/cold-start.mjs) of a server that sends no mail.
const loadNodemailer = () => createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');

export function smtpTransport(url: string, from: string): MailTransport {
  const transporter: Transporter = loadNodemailer().createTransport(url, {
    from,
    // A relay that hangs must not hold a claimed row for long: fail and retry later instead.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // One connection at a time: the worker sends sequentially anyway.
    pool: false,
  } as never);
  return {
    async send(message) {
      try {
        const info = await transporter.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
        if (info.rejected?.length) throw new SendError(`recipient rejected: ${message.to}`, true);
      } catch (err) {
        throw classify(err, url);
      }
    },
    close: () => transporter.close(),
  };
}

function classify(err: unknown, url: string): SendError {
  if (err instanceof SendError) return err;
  const e = err as { message?: string; responseCode?: number; code?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // nodemailer's messages may quote the server's answer, never the URL; scrub it anyway in case.
  let text = String(e.message ?? err).slice(0, 500);
  const password = safePassword(url);
  if (password) text = text.split(password).join('***');
  text = text.split(url).join(redactSmtpUrl(url));
  // A 5xx about this message is final; a refused login (EAUTH) is the operator's to fix, so the
  // mail waits for the corrected configuration instead of being dropped.
  const permanent = code !== undefined && code >= 500 && code < 600 && e.code !== 'EAUTH';
  return new SendError(`${e.code ? e.code + ': ' : ''}${text}`, permanent);
}

function safePassword(url: string): string {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : '';
  } catch {
    return '';
  }
}
