// Service accounts and their tokens in Grafana's JSON.
import { Type } from '@sinclair/typebox';
import type { ServiceAccount } from '../../domain/service-accounts.ts';
import { tokenStatus, type ServiceAccountToken } from '../../domain/service-account-tokens.ts';
import { avatarUrl } from './presenters.ts';

const AccessControl = Type.Optional(Type.Record(Type.String(), Type.Boolean()));

export const ServiceAccountSchema = Type.Object({
  id: Type.Integer(),
  uid: Type.String(),
  name: Type.String(),
  login: Type.String(),
  orgId: Type.Integer(),
  isDisabled: Type.Boolean(),
  role: Type.String(),
  tokens: Type.Integer(),
  avatarUrl: Type.String(),
  accessControl: AccessControl,
});

export const ServiceAccountProfileSchema = Type.Object({
  id: Type.Integer(),
  uid: Type.String(),
  name: Type.String(),
  login: Type.String(),
  orgId: Type.Integer(),
  isDisabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  avatarUrl: Type.String(),
  role: Type.String(),
  teams: Type.Array(Type.String()),
  tokens: Type.Integer(),
  accessControl: AccessControl,
});

export const ServiceAccountSearchSchema = Type.Object({
  totalCount: Type.Integer(),
  serviceAccounts: Type.Array(ServiceAccountSchema),
  page: Type.Integer(),
  perPage: Type.Integer(),
});

export const TokenSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  created: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  expiration: Type.Union([Type.String(), Type.Null()]),
  secondsUntilExpiration: Type.Union([Type.Number(), Type.Null()]),
  hasExpired: Type.Boolean(),
  isRevoked: Type.Boolean(),
});

export const NewTokenSchema = Type.Object({ id: Type.Integer(), name: Type.String(), key: Type.String() });

/** Grafana's service-account avatar: the name without non-alphanumerics, "@localhost". */
const saAvatar = (name: string) => avatarUrl(name.replace(/[^a-zA-Z0-9]/g, '') + '@localhost');
const withAccess = (access?: Record<string, boolean>) => (access ? { accessControl: access } : {});

export function serviceAccountDto(sa: ServiceAccount, access?: Record<string, boolean>) {
  return {
    id: sa.id,
    uid: sa.uid,
    name: sa.name,
    login: sa.login,
    orgId: sa.org_id,
    isDisabled: !!sa.is_disabled,
    role: sa.role,
    tokens: sa.tokens,
    avatarUrl: saAvatar(sa.name),
    ...withAccess(access),
  };
}

export function serviceAccountProfile(sa: ServiceAccount, access?: Record<string, boolean>) {
  return {
    id: sa.id,
    uid: sa.uid,
    name: sa.name,
    login: sa.login,
    orgId: sa.org_id,
    isDisabled: !!sa.is_disabled,
    createdAt: sa.created_at,
    updatedAt: sa.updated_at,
    avatarUrl: saAvatar(sa.name),
    role: sa.role,
    // Service accounts join no teams here.
    teams: [],
    tokens: sa.tokens,
    ...withAccess(access),
  };
}

export function tokenDto(t: ServiceAccountToken) {
  return { id: t.id, name: t.name, created: t.createdAt, lastUsedAt: t.lastUsedAt, expiration: t.expiresAt, ...tokenStatus(t) };
}
