// Who is calling: the one shape every face hands to the domain.
import type { Role } from '../role-names.ts';

/** 'scim': an identity provider holding a SCIM token of one org (domain/scim-tokens.ts), acting as that org's Admin. */
export type PrincipalKind = 'user' | 'service-account' | 'personal-key' | 'scim';

export interface Principal {
  kind: PrincipalKind;
  /** The user (for a personal key: its owner); null for service accounts. */
  userId: number | null;
  serviceAccountId: number | null;
  tokenId: number | null;
  login: string;
  /** The org this request acts in; -1 when the caller has none. */
  orgId: number;
  /** The caller's role in orgId, null when not a member. */
  role: Role | null;
  /** Grafana server admin; never true for tokens. */
  isServerAdmin: boolean;
  /** Personal API keys only. */
  scopes?: string[];
  scopedOrgs?: string[] | null;
  /** The browser session this request came with (its id in the sessions table), if any. */
  sessionId?: number;
  /**
   * Orgs that require two-factor authentication (PostHog's enforce_2fa) while this caller, signed
   * in with a password, has none: the policy holds them off there until they enrol.
   */
  twoFactorMissingIn?: ReadonlySet<number>;
  /** Where the request came from, for the audit trail. */
  via?: { face: string; requestId: string };
}
