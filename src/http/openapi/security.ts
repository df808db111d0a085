// Who may call what, as the OpenAPI document states it: one security scheme per credential kind
// the authenticator (http/auth.ts) knows, and for each face the kinds its declaration accepts
// (`admission.credentials` in each api/<face>/plugin.ts).
// test/http/openapi-security.test.ts sends every documented credential to every face and checks
// that exactly these are let in.
import { SESSION_COOKIE } from '../session-cookie.ts';
import type { AuthOptions } from '../auth.ts';
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
  scimToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'rscim_...',
    description: 'A SCIM token of one organization (`rscim_...`, `roster scim-token create`): `Authorization: Bearer <token>`. SCIM face only, and the only credential it accepts.',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The session cookie `POST /login` sets (the console). A browser may write with it only from this server or ROSTER_PUBLIC_URL.',
  },
} as const;

export type SchemeName = keyof typeof SECURITY_SCHEMES;

/** Each face's schemes, from its declaration. */
export type FaceSchemes = Record<Face, SchemeName[]>;

/**
 * The schemes a face's declared credentials (http/face/face.ts) admit, its own token first where
 * the product's clients send one (OnCall's raw token, PostHog's personal key). Basic and the
 * session cookie are read on every face; a PostHog personal key is also read from the query string.
 */
export function schemesOf(credentials: AuthOptions): SchemeName[] {
  if (credentials.bearerOnly) return credentials.tokens.scim ? ['scimToken'] : [];
  const own: SchemeName[] = credentials.rawToken ? ['oncallToken', 'serviceAccountToken'] : credentials.tokens.personalKey ? ['personalApiKey', 'personalApiKeyQuery'] : [];
  const serviceAccount: SchemeName[] = credentials.tokens.serviceAccount && !own.includes('serviceAccountToken') ? ['serviceAccountToken'] : [];
  return [...own, 'basic', ...serviceAccount, 'sessionCookie'];
}

/**
 * An operation's `security`: any one of its face's credentials. A route a face serves without
 * credentials (Grafana's `config.public`) lists an empty requirement first: none is needed, one is
 * read when sent. Routes outside the faces (sign-in, /metrics) need none.
 */
export function securityOf(o: Operation, isPublic: boolean, faceSchemes: FaceSchemes): Json[] {
  if (!o.face) return [];
  const any = faceSchemes[o.face].map((name) => ({ [name]: [] }));
  return isPublic ? [{}, ...any] : any;
}
