// Who is signed in, their orgs and what the console may offer them. The server decides every
// request anyway; these flags only hide controls a role cannot use.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { api } from './api.ts';
import type { Me, Role, UserOrg } from './types.ts';

export interface Session {
  me: Me;
  orgs: UserOrg[];
  allowOrgCreate: boolean;
  /** An org of the user's requires two-factor authentication and this session is held off it until they enrol. */
  twoFactorHeld: boolean;
  refresh(): Promise<void>;
}

export async function loadSession(): Promise<Omit<Session, 'refresh'>> {
  const [me, orgs, settings, twoFactor] = await Promise.all([
    api<Me>('/api/user'),
    api<UserOrg[]>('/api/user/orgs'),
    api<{ allowOrgCreate: boolean }>('/api/frontend/settings'),
    api<{ held: boolean }>('/api/roster/v1/user/two-factor'),
  ]);
  return { me, orgs, allowOrgCreate: settings.allowOrgCreate, twoFactorHeld: twoFactor.held };
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

/** What the signed-in user may do in one org (mirrors src/domain/policy/grants.ts). */
export interface OrgAccess {
  role: Role | null;
  /** Rename, delete, see and manage members: org Admins and server admins. */
  manageOrg: boolean;
  /** Teams are visible to the org's members. */
  readTeams: boolean;
  writeTeams: boolean;
  /** Service accounts and tokens: org Admins only. */
  serviceAccounts: boolean;
}

export function orgAccess(s: Pick<Session, 'me' | 'orgs'>, orgId: number): OrgAccess {
  const role = s.orgs.find((o) => o.orgId === orgId)?.role ?? null;
  const admin = role === 'Admin';
  return {
    role,
    manageOrg: admin || s.me.isGrafanaAdmin,
    readTeams: role !== null,
    writeTeams: admin,
    serviceAccounts: admin,
  };
}
