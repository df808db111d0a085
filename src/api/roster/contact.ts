// A user's contact details: timezone, phone number (verified, private), Slack identities.
// The user may change their own (a new number is unverified); org Admins and server admins may
// change anyone's in their org, and only they may mark a number verified.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getContact, updateContact, type ContactUserRef, type UserContact } from '../../domain/contact.ts';
import { notFound } from '../../domain/errors.ts';
import { isOncallId } from '../../domain/ids.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { ErrorBody } from './schemas.ts';

const tags = ['roster: contact'];
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const SlackIdentity = Type.Object({ user_id: Type.String(), team_id: Type.String() }, { additionalProperties: false });

const ContactSchema = Type.Object({
  id: Type.Integer({ description: 'Roster (Grafana) user id' }),
  oncall_id: Type.String({ description: 'OnCall public id (U...)' }),
  timezone: Nullable(Type.String()),
  phone_number: Nullable(Type.String()),
  phone_verified: Type.Boolean(),
  phone_private: Type.Boolean(),
  slack: Type.Array(SlackIdentity),
});

const ContactPatch = Type.Object(
  {
    timezone: Type.Optional(Nullable(Type.String({ description: 'IANA time zone; null or "" clears. Shared with Grafana user preferences.' }))),
    phone_number: Type.Optional(Nullable(Type.String({ description: 'E.164, e.g. +12345678901; null or "" clears' }))),
    phone_verified: Type.Optional(Type.Boolean({ description: 'Org Admins and server admins only' })),
    phone_private: Type.Optional(Type.Boolean()),
    slack: Type.Optional(Type.Array(SlackIdentity, { description: 'Replaces all Slack identities; one per Slack team', maxItems: 50 })),
  },
  { additionalProperties: false },
);

const Params = Type.Object({ userId: Type.String({ description: 'Numeric user id or OnCall public id (U...)' }) });

/** A path user reference: the numeric id, or the OnCall public id. */
function userRefOf(ref: string): ContactUserRef {
  if (/^\d{1,15}$/.test(ref)) return { id: Number(ref) };
  if (isOncallId(ref, 'U')) return { publicId: ref };
  throw notFound('user.not-found', 'User not found');
}

function present(c: UserContact) {
  return {
    id: c.userId,
    oncall_id: c.publicId,
    timezone: c.timezone,
    phone_number: c.phoneNumber,
    phone_verified: c.phoneVerified,
    phone_private: c.phonePrivate,
    slack: c.slack.map((s) => ({ user_id: s.userId, team_id: s.teamId })),
  };
}

export const contactRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  const responses = { 200: ContactSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.get('/users/:userId/contact', { schema: { summary: "A user's contact details (the user, their org Admins, server admins)", tags, params: Params, response: responses } }, async (req) => {
    return present(await getContact(ctx, req.principal, userRefOf(req.params.userId)));
  });

  app.patch(
    '/users/:userId/contact',
    {
      schema: {
        summary: "Change a user's contact details; a changed number is unverified unless an admin verifies it in the same request",
        tags,
        params: Params,
        body: ContactPatch,
        response: responses,
      },
    },
    async (req) => {
      const b = req.body;
      const contact = await updateContact(ctx, req.principal, userRefOf(req.params.userId), {
        timezone: b.timezone,
        phoneNumber: b.phone_number,
        phoneVerified: b.phone_verified,
        phonePrivate: b.phone_private,
        slack: b.slack?.map((s) => ({ userId: s.user_id, teamId: s.team_id })),
      });
      return present(contact);
    },
  );
};
