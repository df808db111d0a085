// The SCIM face's bodies as the OpenAPI document describes them. Resources are open objects: the
// attributes a client asks for (attributes/excludedAttributes) decide what a body holds.
import { Type } from '@sinclair/typebox';

export const ErrorBody = Type.Object({
  schemas: Type.Array(Type.String()),
  status: Type.String({ description: 'The HTTP status, as text' }),
  scimType: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
});

export const Resource = Type.Object({ schemas: Type.Array(Type.String()), id: Type.String() }, { additionalProperties: true });
export const AnyObject = Type.Object({}, { additionalProperties: true });

export const ListResponse = Type.Object({
  schemas: Type.Array(Type.String()),
  totalResults: Type.Integer(),
  startIndex: Type.Integer(),
  itemsPerPage: Type.Integer(),
  Resources: Type.Array(AnyObject),
});

export const ListQuery = Type.Object({
  filter: Type.Optional(Type.String({ description: 'A SCIM filter, e.g. userName eq "ada"' })),
  startIndex: Type.Optional(Type.String({ description: '1-based index of the first result' })),
  count: Type.Optional(Type.String({ description: 'Results per page (at most 1000)' })),
  attributes: Type.Optional(Type.String()),
  excludedAttributes: Type.Optional(Type.String()),
});

export const ReadQuery = Type.Object({ attributes: Type.Optional(Type.String()), excludedAttributes: Type.Optional(Type.String()) });
export const IdParams = Type.Object({ id: Type.String() });

export const NoContent = Type.Unsafe<void>({ type: 'null', description: 'No content' });
