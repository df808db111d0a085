// SCIM's error body (RFC 7644 §3.12): {"schemas": [Error], "status": "<code as text>", "scimType"?,
// "detail"}, sent as application/scim+json. Domain errors keep their status; the kind of a 400 or a
// 409 is named by `scimType`.
import type { AuthFailure } from '../../http/auth.ts';
import type { ErrorRenderer, Rendered } from '../../http/face/face.ts';
import { STATUS_OF_KIND } from '../../http/error-status.ts';
import { UNAVAILABLE_MESSAGE } from '../../http/unavailable.ts';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json';

export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

/** An answer the face decided itself: a bad filter, a bad PATCH, a stale If-Match. */
export class ScimProblem extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (scimType: ScimType, message: string) => new ScimProblem(400, scimType, message);

export function scimErrorBody(status: number, detail: string, scimType?: ScimType) {
  return { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

const rendered = (status: number, detail: string, scimType?: ScimType, headers: Record<string, string> = {}): Rendered => ({
  status,
  body: scimErrorBody(status, detail, scimType),
  headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers },
});

const AUTH_DETAIL: Partial<Record<AuthFailure, string>> = {
  missing: 'Authentication required: send a SCIM token as "Authorization: Bearer <token>"',
  'revoked-token': 'SCIM token revoked',
  'wrong-kind': 'Only a SCIM token is accepted here',
};

export function scimAuthFailure(failure: AuthFailure): Rendered {
  return rendered(401, AUTH_DETAIL[failure] ?? 'Invalid SCIM token');
}

export function scimThrottled(wait: number): Rendered {
  return rendered(429, `Too many requests; retry in ${wait} s`, undefined, { 'retry-after': String(wait) });
}

/** Domain codes whose 400 is about an attribute that cannot be changed here. */
const MUTABILITY = new Set(['scim.shared-user', 'member.last-admin', 'member.last-admin-remove']);

export const scimErrors: ErrorRenderer = {
  own(err) {
    if (err instanceof ScimProblem) return rendered(err.status, err.message, err.scimType);
    return undefined;
  },
  domain(err) {
    const status = STATUS_OF_KIND[err.kind];
    if (err.kind === 'conflict') return rendered(409, err.message, 'uniqueness');
    if (status === 400) return rendered(400, err.message, MUTABILITY.has(err.code) ? 'mutability' : 'invalidValue');
    return rendered(status, err.message);
  },
  validation(err) {
    return rendered(400, err.message ?? 'Invalid request', 'invalidSyntax');
  },
  request(fault) {
    if (fault === 'media-type') return rendered(415, 'Send a JSON body (application/scim+json or application/json)');
    if (fault === 'too-large') return rendered(413, 'Request body too large');
    return rendered(400, fault === 'malformed-json' ? 'Malformed JSON body' : 'Invalid request', 'invalidSyntax');
  },
  unavailable: () => scimErrorBody(503, UNAVAILABLE_MESSAGE),
  internal: (req) => scimErrorBody(500, `Internal server error (request ${req.id})`),
};
