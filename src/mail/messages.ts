// The text of each mail Roster sends. Plain text only: no HTML to escape, nothing for a client
// to load remotely.
import type { Message } from './transport.ts';

export function emailVerificationMessage(to: string, login: string, link: string, hours: number): Message {
  return {
    to,
    subject: 'Confirm your new email address',
    text: [
      `Hello ${login},`,
      '',
      'You asked to use this address for your Roster account. Confirm it by opening this link while',
      'signed in to Roster as yourself:',
      '',
      link,
      '',
      `The link works once and expires in ${hours} hours. If you did not ask for this, ignore this`,
      'mail: your account keeps its current address.',
      '',
    ].join('\n'),
  };
}

export function inviteMessage(
  to: string,
  o: { orgName: string; inviter: string; role: string; inviteId: string; code: string; acceptUrl: string; expiresAt: string; message: string | null },
): Message {
  return {
    to,
    subject: `You are invited to join ${o.orgName}`,
    text: [
      `${o.inviter} invited you to join the organization "${o.orgName}" on Roster as ${o.role}.`,
      ...(o.message ? ['', o.message] : []),
      '',
      `Invite: ${o.inviteId}`,
      `Code:   ${o.code}`,
      '',
      'To accept, sign in with an account whose confirmed email is this address and send the code:',
      '',
      `  POST ${o.acceptUrl}`,
      `  {"code": "${o.code}"}`,
      '',
      `The code works once, and the invite expires at ${o.expiresAt}.`,
      '',
    ].join('\n'),
  };
}

/** Grafana's new_user_invite: the code completes a sign-up (POST /api/user/invite/complete). */
export function signUpInviteMessage(to: string, o: { orgName: string; inviter: string; role: string; code: string; infoUrl: string; completeUrl: string; expiresAt: string }): Message {
  return {
    to,
    subject: `${o.inviter} invited you to join ${o.orgName}`,
    text: [
      `${o.inviter} invited you to join the organization "${o.orgName}" on Roster as ${o.role}.`,
      '',
      `Code: ${o.code}`,
      '',
      'To accept, create your account with this address and the code:',
      '',
      `  POST ${o.completeUrl}`,
      `  {"inviteCode": "${o.code}", "email": "${to}", "username": "<login>", "name": "<your name>", "password": "<password>"}`,
      '',
      `What the invite holds: GET ${o.infoUrl}`,
      '',
      `The code works once, and the invite expires at ${o.expiresAt}.`,
      '',
    ].join('\n'),
  };
}

export function passwordResetMessage(to: string, login: string, link: string, hours: number): Message {
  return {
    to,
    subject: 'Reset your Roster password',
    text: [
      `Hello ${login},`,
      '',
      'Someone (you, we hope) asked to reset the password of your Roster account. Choose a new one',
      'by opening this link:',
      '',
      link,
      '',
      `The link works once and expires in ${hours} hours. Setting a new password signs you out of`,
      'every browser. If you did not ask for this, ignore this mail: your password stays as it is.',
      '',
    ].join('\n'),
  };
}

export function webhookDisabledMessage(to: string, o: { orgName: string; url: string; failingSince: string; lastError: string }): Message {
  return {
    to,
    subject: `A webhook of ${o.orgName} was disabled`,
    text: [
      `Deliveries to the webhook ${o.url} of ${o.orgName} have failed since ${o.failingSince}, so Roster`,
      'has disabled it. Its undelivered events are kept, in order: fix the receiver, then enable the',
      'webhook again (native API: PATCH /api/roster/v1/orgs/<org>/webhooks/<id> {"enabled": true},',
      'or the console) and they are delivered.',
      '',
      `Last error: ${o.lastError}`,
      '',
    ].join('\n'),
  };
}
