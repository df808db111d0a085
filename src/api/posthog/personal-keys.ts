// /api/personal_api_keys/: a user's own keys (docs/compat/posthog.md#managing-personal-api-keys).
// Managed with a session or Basic; a key itself may only read itself.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createKey, deleteKey, getKey, listKeys, rollKey, updateKey, type KeyInput } from '../../domain/personal-keys.ts';
import { phNotFound } from './errors.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import type { Static } from '@sinclair/typebox';
import { validBody } from './request-body.ts';
import { personalKey } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['posthog: personal API keys'];
const KeyParam = Type.Object({ id: Type.String({ description: 'Key id, or @current for the calling key' }) });

function keyId(value: string): number {
  if (!/^\d{1,10}$/.test(value)) throw phNotFound();
  return Number(value);
}

/** A validated key body as the domain takes it: only the fields it sets. */
function readKeyWrite(body: Partial<Static<typeof S.PersonalApiKeyWrite>>): Partial<KeyInput> {
  const out: Partial<KeyInput> = {};
  if (body.label !== undefined) out.label = body.label;
  if (body.scopes !== undefined) out.scopes = body.scopes;
  if (body.scoped_teams !== undefined) out.scopedTeams = body.scoped_teams;
  if (body.scoped_organizations !== undefined) out.scopedOrgs = body.scoped_organizations;
  return out;
}

export const personalKeyRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  app.get('/api/personal_api_keys', { schema: { summary: 'Your personal API keys, newest first (no values)', tags, response: { 200: Type.Array(S.PersonalApiKey) } } }, async (req) => {
    return (await listKeys(ctx, req.principal)).map((k) => personalKey(k));
  });

  app.post(
    '/api/personal_api_keys',
    { schema: { summary: 'Create a personal API key; its value is shown only in this response', tags, body: S.PersonalApiKeyWrite, response: { 201: S.PersonalApiKey } } },
    async (req, reply) => {
      const { key, value } = await createKey(ctx, req.principal, () => {
        const input = readKeyWrite(validBody(req));
        return { label: input.label!, scopes: input.scopes!, scopedTeams: input.scopedTeams ?? [], scopedOrgs: input.scopedOrgs ?? [] };
      });
      return reply.code(201).send(personalKey(key, value));
    },
  );

  app.get(
    '/api/personal_api_keys/:id',
    { schema: { summary: 'One of your keys; with a key, only that key itself (or @current)', tags, params: KeyParam, response: { 200: S.PersonalApiKey } } },
    async (req) => {
      const p = req.principal;
      if (req.params.id === '@current') {
        if (p.kind !== 'personal-key' || p.tokenId === null) throw phNotFound();
        return personalKey(await getKey(ctx, p, p.tokenId));
      }
      return personalKey(await getKey(ctx, p, keyId(req.params.id)));
    },
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: '/api/personal_api_keys/:id',
      schema: { summary: "Change a key's label, scopes or organizations (not its value)", tags, params: KeyParam, body: Type.Partial(S.PersonalApiKeyWrite), response: { 200: S.PersonalApiKey } },
      handler: async (req) => {
        return personalKey(
          await updateKey(
            ctx,
            req.principal,
            () => keyId(req.params.id),
            () => readKeyWrite(validBody(req)),
          ),
        );
      },
    });
  }

  app.delete('/api/personal_api_keys/:id', { schema: { summary: 'Delete a key; it stops working at once', tags, params: KeyParam, response: { 204: S.NoContent } } }, async (req, reply) => {
    await deleteKey(ctx, req.principal, () => keyId(req.params.id));
    return reply.code(204).send();
  });

  app.post(
    '/api/personal_api_keys/:id/roll',
    { schema: { summary: 'Replace a key’s value; the new value is shown only in this response', tags, params: KeyParam, response: { 200: S.PersonalApiKey } } },
    async (req) => {
      const { key, value } = await rollKey(ctx, req.principal, () => keyId(req.params.id));
      return personalKey(key, value);
    },
  );
};
