// Who may call what, as the OpenAPI document states it: one security scheme per credential kind
// the authenticator (http/auth.ts) knows, and for each face the kinds its admission hook accepts
// (the `tokens`/`rawToken` options each api/<face>/plugin.ts passes to admit()).
// test/http/openapi-security.test.ts sends every documented credential to every face and checks
// that exactly these are let in.
import { SESSION_COOKIE } from '../session-cookie.ts';
import type { Face, Json, Operation } from './operations.ts';

export const SECURITY_SCHEMES = {
  basic: {
    type: 'http',
    scheme: 'basic',
    description: 'A Roster login (or email) and its password. As in Grafana, a token the face accepts may also be sent as the password of the user `api_key`.',
  },
  serviceAccountToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'glsa_...',
    description: 'A Grafana service-account token (`glsa_...`): `Authorization: Bearer <token>`. Grafana, OnCall and native faces.',
  },
  oncallToken: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'OnCall: the service-account token as the whole Authorization header, with no scheme (`Authorization: glsa_...`).',
  },
  personalApiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'phx_...',
    description: 'A PostHog personal API key (`phx_...`): `Authorization: Bearer <key>`. PostHog face only, limited by its scopes.',
  },
  personalApiKeyQuery: {
    type: 'apiKey',
    in: 'query',
    name: 'personal_api_key',
    description: 'A PostHog personal API key in the query string (PostHog also reads it there, and from a `personal_api_key` body field).',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The session cookie `POST /login` sets (the console). A browser may write with it only from this server or ROSTER_PUBLIC_URL.',
  },
} as const;

export type SchemeName = keyof typeof SECURITY_SCHEMES;

/** The credential kinds each face's admission hook accepts. */
export const FACE_CREDENTIALS: Record<Face, SchemeName[]> = {
  grafana: ['basic', 'serviceAccountToken', 'sessionCookie'],
  oncall: ['oncallToken', 'serviceAccountToken', 'basic', 'sessionCookie'],
  posthog: ['personalApiKey', 'personalApiKeyQuery', 'basic', 'sessionCookie'],
  roster: ['basic', 'serviceAccountToken', 'sessionCookie'],
};

/**
 * An operation's `security`: any one of its face's credentials. A route a face serves without
 * credentials (Grafana's `config.public`) lists an empty requirement first: none is needed, one is
 * read when sent. Routes outside the faces (sign-in, /metrics) need none.
 */
export function securityOf(o: Operation, isPublic: boolean): Json[] {
  if (!o.face) return [];
  const any = FACE_CREDENTIALS[o.face].map((name) => ({ [name]: [] }));
  return isPublic ? [{}, ...any] : any;
}
