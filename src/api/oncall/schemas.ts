// OnCall's JSON shapes (docs/compat/oncall.md#object-shapes). Property order is the wire order.
import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Organization = Type.Object({
  id: Type.String({ description: 'OnCall organization public id (O + 12 characters)' }),
  manually_manage_direct_paging_integrations: Type.Boolean(),
});

export const SlackIdentity = Type.Object({ user_id: Type.String(), team_id: Type.String() });

export const User = Type.Object({
  id: Type.String({ description: 'OnCall user public id (U + 12 characters)' }),
  grafana_id: Type.Integer(),
  email: Type.String(),
  slack: Type.Array(SlackIdentity),
  username: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('user'), Type.Literal('observer')]),
  timezone: Nullable(Type.String()),
  teams: Type.Array(Type.String()),
  is_phone_number_verified: Type.Boolean(),
  phone_number: Nullable(Type.String()),
  phone_number_status: Type.Union([Type.Literal('available'), Type.Literal('private'), Type.Literal('not_configured')]),
});

/** `?short=true` on the list (OnCall's FastUserSerializer). */
export const ShortUser = Type.Object({
  id: Type.String(),
  grafana_id: Type.Integer(),
  email: Type.String(),
  username: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('user'), Type.Literal('observer')]),
  is_phone_number_verified: Type.Boolean(),
});

/** A list item: the full user, or the short one with `?short=true` (full first: serialization tries in order). */
export const UserListItem = Type.Union([User, ShortUser]);

export const Team = Type.Object({
  id: Type.String({ description: 'OnCall team public id (T + 12 characters)' }),
  grafana_id: Type.Integer(),
  name: Type.String(),
  email: Nullable(Type.String()),
  avatar_url: Type.String(),
});

export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({
    count: Type.Integer(),
    next: Nullable(Type.String()),
    previous: Nullable(Type.String()),
    results: Type.Array(item),
    page_size: Type.Integer(),
    current_page_number: Type.Integer(),
    total_pages: Type.Integer(),
  });
}

/** DRF's error bodies: {"detail": "..."} or {field: [messages]}. */
export const Detail = Type.Object({ detail: Type.String() });
export const FieldErrors = Type.Record(Type.String(), Type.Array(Type.String()));
/** A 400: field errors for bad filters and bodies, a detail for unparsable JSON. */
export const BadRequest = Type.Union([Detail, FieldErrors]);

const StringOrList = Type.Union([Type.String(), Type.Array(Type.String())]);
export const PagingQuery = {
  page: Type.Optional(StringOrList),
  perpage: Type.Optional(StringOrList),
};

export const UserListQuery = Type.Object({
  ...PagingQuery,
  username: Type.Optional(StringOrList),
  email: Type.Optional(StringOrList),
  roles: Type.Optional(StringOrList),
  team_id: Type.Optional(StringOrList),
  short: Type.Optional(StringOrList),
});

export const TeamListQuery = Type.Object({ ...PagingQuery, name: Type.Optional(StringOrList) });
export const OrgListQuery = Type.Object({ ...PagingQuery });
export const IdParam = Type.Object({ id: Type.String() });

export const OrganizationUpdate = Type.Object({
  manually_manage_direct_paging_integrations: Type.Optional(Nullable(Type.Boolean())),
});

export const errorResponses = { 403: Detail, 404: Detail, 405: Detail };
