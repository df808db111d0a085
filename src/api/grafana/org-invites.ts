// Grafana's org invites: /api/org/invites for the org's Admins, and the invitee's side,
// /api/user/invite/:code and /api/user/invite/complete, open to anyone holding a code.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { completeInvite, inviteInfo, inviteToOrg, listPendingInvites, revokeOrgInvite, type PendingInvite } from '../../domain/org-invites.ts';
import { startSession } from '../../domain/sessions.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { setSessionCookie } from '../../http/session-cookie.ts';
import * as S from './schemas.ts';
import { GO_ZERO_TIME } from './presenters.ts';

const tags = ['grafana: current org'];

const TempUser = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  name: Type.String(),
  email: Type.String(),
  role: Type.String(),
  invitedByLogin: Type.String(),
  invitedByEmail: Type.String(),
  invitedByName: Type.String(),
  code: Type.String({ description: "The invite's id: Roster keeps only a hash of the secret code, so lists show the id, which revoking also takes" }),
  status: Type.String(),
  url: Type.String(),
  emailSent: Type.Boolean(),
  emailSentOn: Type.String(),
  createdOn: Type.String(),
});

/**
 * TempUserDTO's id is an integer while Roster's invite ids are UUIDs (shared with the PostHog
 * face): the last 52 bits of the UUID's random part, stable for the invite. Nothing takes it back.
 */
export function numericInviteId(uuid: string): number {
  return parseInt(uuid.replace(/-/g, '').slice(-13), 16);
}

function tempUser(i: PendingInvite) {
  return {
    id: numericInviteId(i.id),
    orgId: i.orgId,
    name: i.name,
    email: i.email,
    role: i.role,
    invitedByLogin: i.invitedByLogin,
    invitedByEmail: i.invitedByEmail,
    invitedByName: i.invitedByName,
    code: i.id,
    status: 'InvitePending',
    url: '',
    emailSent: i.emailSent,
    emailSentOn: i.emailSent ? i.createdOn : GO_ZERO_TIME,
    createdOn: i.createdOn,
  };
}

const AddInviteBody = Type.Object({
  loginOrEmail: Type.String({ minLength: 1 }),
  name: Type.Optional(Type.String()),
  role: Type.Unknown(),
  sendEmail: Type.Optional(Type.Boolean()),
});
const InviteAnswer = Type.Object({
  message: Type.String(),
  userId: Type.Optional(Type.Integer({ description: 'An existing user, added at once' })),
  code: Type.Optional(Type.String({ description: 'An invite that was not mailed: its secret code, shown once, for the invitee (Roster only)' })),
});
const InviteInfo = Type.Object({ email: Type.String(), name: Type.String(), username: Type.String(), invitedBy: Type.String(), orgName: Type.String() });
const CompleteBody = Type.Object({
  inviteCode: Type.Optional(Type.String()),
  email: Type.String({ minLength: 1 }),
  name: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  confirmPassword: Type.Optional(Type.String()),
});

export const orgInviteRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx, publicUrl }) => {
  app.get('/api/org/invites', { schema: { summary: "The current organization's pending invites", tags, response: { 200: Type.Array(TempUser) } } }, async (req) =>
    (await listPendingInvites(ctx, req.principal, req.principal.orgId)).map(tempUser),
  );

  app.post(
    '/api/org/invites',
    {
      schema: {
        summary: 'Invite a login or email to the current organization: an existing user joins at once, anyone else gets an invite code (mailed with sendEmail)',
        tags,
        body: AddInviteBody,
        response: { 200: InviteAnswer },
      },
      config: { errors: { 'invite.already-member': [412], 'invite.smtp-not-configured': [412], 'org.not-found': [404, 'Organization not found'] } },
    },
    async (req) => {
      const target = req.body.loginOrEmail;
      const r = await inviteToOrg(ctx, req.principal, req.principal.orgId, { loginOrEmail: target, name: req.body.name, role: req.body.role, sendEmail: req.body.sendEmail });
      if (r.kind === 'existing') return { message: `Existing Grafana user ${r.userName} added to org ${r.orgName}`, userId: r.userId };
      if (r.mailed) return { message: `Sent invite to ${target}` };
      return { message: `Created invite for ${target}`, ...(r.code ? { code: r.code } : {}) };
    },
  );

  app.delete(
    '/api/org/invites/:code/revoke',
    {
      schema: {
        summary: 'Revoke an invite of the current organization, by its code or the id listed in its place',
        tags,
        params: Type.Object({ code: Type.String({ maxLength: 200 }) }),
        response: { 200: S.Message },
      },
    },
    async (req) => {
      await revokeOrgInvite(ctx, req.principal, req.params.code);
      return { message: 'Invite revoked' };
    },
  );

  app.get(
    '/api/user/invite/:code',
    {
      schema: {
        summary: 'What a pending invite holds, for whoever has its code',
        tags: ['grafana: users'],
        params: Type.Object({ code: Type.String({ maxLength: 200 }) }),
        response: { 200: InviteInfo },
      },
      config: { public: true },
    },
    async (req) => inviteInfo(ctx, req.params.code),
  );

  app.post(
    '/api/user/invite/complete',
    {
      schema: {
        summary: 'Sign up with an invite code: creates the account, joins the invite’s organization with its role, and signs in (sets the session cookie)',
        tags: ['grafana: users'],
        body: CompleteBody,
        response: { 200: Type.Object({ message: Type.String(), id: Type.Integer() }) },
      },
      config: { public: true, errors: { 'invite.unusable': [412], 'user.exists': [412] } },
    },
    async (req, reply) => {
      const b = req.body;
      const user = await completeInvite(ctx, { inviteCode: b.inviteCode ?? '', email: b.email, username: b.username, name: b.name, password: b.password }, { face: 'grafana', requestId: req.id });
      const session = await startSession(ctx, user.id, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
      setSessionCookie(req, reply, publicUrl, session.token, session.maxAgeSeconds);
      return { message: 'User created and logged in', id: user.id };
    },
  );
};
