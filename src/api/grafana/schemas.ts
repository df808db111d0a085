// Grafana's JSON shapes, as TypeBox schemas: they validate requests and serialize responses.
import { Type, type Static } from '@sinclair/typebox';

export const Message = Type.Object({ message: Type.String() });
export const MessageWithId = Type.Object({ message: Type.String(), id: Type.Optional(Type.Integer()) });

export const Address = Type.Object({
  address1: Type.String(),
  address2: Type.String(),
  city: Type.String(),
  zipCode: Type.String(),
  state: Type.String(),
  country: Type.String(),
});
export const AddressBody = Type.Partial(Address);

export const OrgDetails = Type.Object({ id: Type.Integer(), name: Type.String(), address: Address });
export const OrgListItem = Type.Object({ id: Type.Integer(), name: Type.String() });
export const NameBody = Type.Object({ name: Type.String({ minLength: 1 }) });

export const OrgUser = Type.Object({
  orgId: Type.Integer(),
  userId: Type.Integer(),
  uid: Type.String(),
  email: Type.String(),
  name: Type.String(),
  avatarUrl: Type.String(),
  login: Type.String(),
  role: Type.String(),
  lastSeenAt: Type.String(),
  lastSeenAtAge: Type.String(),
  authLabels: Type.Array(Type.String()),
  isExternallySynced: Type.Boolean(),
  isDisabled: Type.Boolean(),
  isProvisioned: Type.Boolean(),
});
export type OrgUserDTO = Static<typeof OrgUser>;

export const OrgUserSearch = Type.Object({
  totalCount: Type.Integer(),
  orgUsers: Type.Array(OrgUser),
  page: Type.Integer(),
  perPage: Type.Integer(),
});

export const UserLookup = Type.Object({
  userId: Type.Integer(),
  uid: Type.String(),
  login: Type.String(),
  avatarUrl: Type.String(),
});

export const AddOrgUserBody = Type.Object({
  loginOrEmail: Type.String({ minLength: 1 }),
  role: Type.Optional(Type.Unknown()),
});
export const AddOrgUserResult = Type.Object({ message: Type.String(), userId: Type.Integer() });
export const RoleBody = Type.Object({ role: Type.Unknown() });

export const UserProfile = Type.Object({
  id: Type.Integer(),
  uid: Type.String(),
  email: Type.String(),
  name: Type.String(),
  login: Type.String(),
  theme: Type.String(),
  orgId: Type.Optional(Type.Integer()),
  isGrafanaAdmin: Type.Boolean(),
  isDisabled: Type.Boolean(),
  isExternal: Type.Boolean(),
  isExternallySynced: Type.Boolean(),
  isGrafanaAdminExternallySynced: Type.Boolean(),
  authLabels: Type.Array(Type.String()),
  updatedAt: Type.String(),
  createdAt: Type.String(),
  avatarUrl: Type.String(),
  isProvisioned: Type.Boolean(),
});

export const UserSearchHit = Type.Object({
  id: Type.Integer(),
  uid: Type.String(),
  name: Type.String(),
  login: Type.String(),
  email: Type.String(),
  avatarUrl: Type.String(),
  isAdmin: Type.Boolean(),
  isDisabled: Type.Boolean(),
  lastSeenAt: Type.String(),
  lastSeenAtAge: Type.String(),
  authLabels: Type.Array(Type.String()),
  isProvisioned: Type.Boolean(),
});
export const UserSearch = Type.Object({
  totalCount: Type.Integer(),
  users: Type.Array(UserSearchHit),
  page: Type.Integer(),
  perPage: Type.Integer(),
});

export const UserOrg = Type.Object({ orgId: Type.Integer(), name: Type.String(), role: Type.String() });

export const ProfileBody = Type.Object({
  email: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  login: Type.Optional(Type.String()),
  theme: Type.Optional(Type.String()),
});

export const Preferences = Type.Object({
  theme: Type.Optional(Type.String()),
  homeDashboardId: Type.Optional(Type.Integer()),
  homeDashboardUID: Type.Optional(Type.String()),
  timezone: Type.Optional(Type.String()),
  weekStart: Type.Optional(Type.String()),
  language: Type.Optional(Type.String()),
  locale: Type.Optional(Type.String()),
  queryHistory: Type.Optional(Type.Object({ homeTab: Type.Optional(Type.String()) })),
  navbar: Type.Optional(Type.Unknown()),
  cookiePreferences: Type.Optional(Type.Unknown()),
  cookies: Type.Optional(Type.Array(Type.String())),
});

export const IdParam = Type.Object({ id: Type.String() });
export const OrgIdParam = Type.Object({ orgId: Type.String() });
export const OrgUserParams = Type.Object({ orgId: Type.String(), userId: Type.String() });
export const UserIdParam = Type.Object({ userId: Type.String() });

export const PagingQuery = Type.Object({
  query: Type.Optional(Type.String()),
  perpage: Type.Optional(Type.String()),
  page: Type.Optional(Type.String()),
  sort: Type.Optional(Type.String()),
  limit: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
});
