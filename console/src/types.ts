// The Grafana-face JSON the console reads (src/api/grafana/*.ts has the exact schemas).

export type Role = 'Admin' | 'Editor' | 'Viewer' | 'None';
export const ROLES: Role[] = ['Admin', 'Editor', 'Viewer', 'None'];

export interface Me {
  id: number;
  uid: string;
  login: string;
  email: string;
  name: string;
  orgId?: number;
  isGrafanaAdmin: boolean;
  isDisabled: boolean;
}

export interface UserOrg {
  orgId: number;
  name: string;
  role: Role;
}

export interface OrgListItem {
  id: number;
  name: string;
}

export interface OrgUser {
  orgId: number;
  userId: number;
  login: string;
  email: string;
  name: string;
  role: Role;
  lastSeenAtAge: string;
  isDisabled: boolean;
}

export interface Team {
  id: number;
  name: string;
  email: string;
  memberCount: number;
}

export interface Paged {
  totalCount: number;
  page: number;
  perPage: number;
}

export interface ServiceAccount {
  id: number;
  name: string;
  login: string;
  role: Role;
  isDisabled: boolean;
  tokens: number;
}

export interface Token {
  id: number;
  name: string;
  created: string;
  lastUsedAt: string | null;
  expiration: string | null;
  hasExpired: boolean;
  isRevoked: boolean;
}

export interface NewToken {
  id: number;
  name: string;
  key: string;
}

export interface UserHit {
  id: number;
  login: string;
  email: string;
  name: string;
  isAdmin: boolean;
  isDisabled: boolean;
  lastSeenAtAge: string;
}

export interface UserProfile {
  id: number;
  login: string;
  email: string;
  name: string;
  isGrafanaAdmin: boolean;
  isDisabled: boolean;
  createdAt: string;
}
