// What the SCIM tests share: an org with a SCIM token, and requests as an identity provider sends them.
import assert from 'node:assert/strict';
import type { Reply, TestRoster } from '../helpers/roster.ts';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** A new org (through Grafana's API) and a SCIM token of it (through the native API). */
export async function orgWithToken(t: TestRoster, name: string): Promise<{ orgId: number; token: string; tokenId: number }> {
  const org = await t.request('POST', '/api/orgs', { ...t.admin, body: { name } });
  assert.equal(org.status, 200, org.text);
  const orgId = org.body.orgId as number;
  const token = await t.request('POST', `/api/roster/v1/orgs/${orgId}/scim-tokens`, { ...t.admin, body: { name: `${name} IdP` } });
  assert.equal(token.status, 201, token.text);
  return { orgId, token: token.body.token, tokenId: token.body.scimToken.id };
}

/** A SCIM client of one token: JSON bodies as application/scim+json. */
export function scimClient(t: TestRoster, token: string) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
    t.request(method, `/scim/v2${path}`, { bearer: token, headers, ...(body !== undefined ? { body, contentType: 'application/scim+json' } : {}) });
}

export function assertScimError(r: Reply, status: number, scimType?: string): void {
  assert.equal(r.status, status, r.text);
  assert.deepEqual(r.body.schemas, [ERROR], r.text);
  assert.equal(r.body.status, String(status), r.text);
  if (scimType) assert.equal(r.body.scimType, scimType, r.text);
}

export function newUser(userName: string, extra: Record<string, unknown> = {}) {
  const [given, family] = userName.split('@')[0]!.split('.');
  return {
    schemas: [USER],
    userName,
    name: { givenName: given ?? userName, familyName: family ?? 'Doe' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    active: true,
    ...extra,
  };
}
