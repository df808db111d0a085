// What the service provider says about itself (RFC 7644 §4, RFC 7643 §5-7): its features, the
// two resource types, and their schemas as far as Roster keeps them.
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './resources.ts';
import { MAX_COUNT } from './list.ts';

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export function serviceProviderConfig(base: string) {
  return {
    schemas: [SPC_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'A SCIM token of one organization (roster scim-token create)', primary: true }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

export function resourceTypes(base: string) {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'A Roster user provisioned into the organization',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'A team of the organization',
      schema: GROUP_SCHEMA,
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

type Attr = Record<string, unknown>;

function attr(
  name: string,
  opts: Partial<{ type: string; multiValued: boolean; required: boolean; caseExact: boolean; mutability: string; returned: string; uniqueness: string; subAttributes: Attr[] }> = {},
): Attr {
  return {
    name,
    type: opts.type ?? 'string',
    multiValued: opts.multiValued ?? false,
    description: name,
    required: opts.required ?? false,
    caseExact: opts.caseExact ?? false,
    mutability: opts.mutability ?? 'readWrite',
    returned: opts.returned ?? 'default',
    uniqueness: opts.uniqueness ?? 'none',
    ...(opts.subAttributes ? { subAttributes: opts.subAttributes } : {}),
  };
}

export function schemas(base: string) {
  const user = [
    attr('userName', { required: true, uniqueness: 'server' }),
    attr('name', { type: 'complex', subAttributes: [attr('formatted'), attr('givenName'), attr('familyName'), attr('middleName')] }),
    attr('displayName'),
    attr('active', { type: 'boolean' }),
    attr('emails', { type: 'complex', multiValued: true, subAttributes: [attr('value'), attr('type'), attr('primary', { type: 'boolean' })] }),
    attr('externalId', { caseExact: true }),
  ];
  const group = [
    attr('displayName', { required: true, uniqueness: 'server' }),
    attr('members', {
      type: 'complex',
      multiValued: true,
      subAttributes: [attr('value', { mutability: 'immutable', caseExact: true }), attr('display', { mutability: 'readOnly' }), attr('type', { mutability: 'immutable' })],
    }),
    attr('externalId', { caseExact: true }),
  ];
  const schema = (id: string, name: string, attributes: Attr[]) => ({
    schemas: [SCHEMA_SCHEMA],
    id,
    name,
    description: name,
    attributes,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
  });
  return [schema(USER_SCHEMA, 'User', user), schema(GROUP_SCHEMA, 'Group', group), schema(ENTERPRISE_USER_SCHEMA, 'EnterpriseUser', [])];
}
