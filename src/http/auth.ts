// Turns a request's credentials (Basic, Bearer token, raw token, session cookie) into a Principal.
// Faces decide which credential kinds they accept and how a failure is rendered.
import { hash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../domain/context.ts';
import { findUserByLoginOrEmail } from '../domain/users.ts';
import type { Principal } from '../domain/principal.ts';
import { isRole, type Role } from '../role-names.ts';
import { isWellFormedServiceAccountToken } from '../domain/secrets.ts';
import { checkLogin, type LoginCheck } from '../domain/login-throttle.ts';
import { isWellFormedSessionToken, resolveSession } from '../domain/sessions.ts';
import { enforcingOrgs, hasTwoFactor } from '../domain/two-factor.ts';
import { isCrossSiteWrite } from './csrf.ts';
import { SESSION_COOKIE } from './session-cookie.ts';
import { ExpiringMemo } from './memo/expiring-memo.ts';
import { then, type Maybe } from './maybe.ts';
import { VerifiedPasswords } from './verified-passwords.ts';
import type { ServiceAccountRow, TokenRow, UserRow } from '../store/schema.ts';
import { memberRole } from '../store/org-members.ts';
import { findTokenByHash, stampTokenUsed } from '../store/tokens.ts';
import { findScimTokenByHash, stampScimTokenUsed } from '../store/scim.ts';
import { isScimToken } from '../domain/scim-tokens.ts';
import { findServiceAccountById } from '../store/service-accounts.ts';
import { findUserById, stampUserSeen } from '../store/users.ts';

export type AuthFailure =
  | 'missing'
  | 'bad-credentials'
  | 'blocked'
  | 'invalid-token'
  | 'expired-token'
  | 'revoked-token'
  | 'org-mismatch'
  | 'disabled'
  | 'wrong-kind'
  /** Basic auth of an account with two-factor authentication: a password alone is not enough. */
  | 'second-factor-required'
  /** A state-changing request carrying the session cookie, sent from another site (csrf.ts). */
  | 'cross-site';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session's new token when this request rotated it (domain/sessions.ts). */
    rotatedSession?: { token: string; maxAgeSeconds: number };
  }
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; failure: AuthFailure };

export interface AuthOptions {
  /** Accept a token without the "Bearer" scheme (OnCall's raw Authorization header). */
  rawToken?: boolean;
  /** Which token kinds this face accepts (`scim`: the SCIM face's org-bound tokens). */
  tokens: { serviceAccount: boolean; personalKey: boolean; scim?: boolean };
  /** Only a Bearer token authenticates (SCIM): Basic and the session cookie are refused. */
  bearerOnly?: boolean;
}

const fail = (failure: AuthFailure): AuthResult => ({ ok: false, failure });
/** Grafana's interval for updating a user's last_seen_at. */
const LAST_SEEN_EVERY_MS = 5 * 60_000;

/** The login and password of a Basic credential (base64 of "login:password"), or undefined. */
function splitBasic(encoded: string): { login: string; password: string } | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class Authenticator {
  private passwords = new VerifiedPasswords<LoginCheck<UserRow>>();
  /**
   * `cache`: memoized credential lookups, dropped by every write (memo/memos.ts holds it for that;
   * memo/expiring-memo.ts says why this keeps revocation effective).
   * `publicUrl`: ROSTER_PUBLIC_URL, an origin a cookie-authenticated write may come from besides
   * the request's own host (csrf.ts).
   */
  constructor(
    private ctx: Ctx,
    private cache: ExpiringMemo,
    private publicUrl?: string,
  ) {}

  /** Answers at once (no promise) when the credential was memoized and nothing must be written. */
  authenticate(req: FastifyRequest, opts: AuthOptions): Maybe<AuthResult> {
    const header = req.headers.authorization?.trim();
    if (header) {
      const space = header.indexOf(' ');
      const scheme = space > 0 ? header.slice(0, space).toLowerCase() : '';
      const value = space > 0 ? header.slice(space + 1).trim() : header;
      if (opts.bearerOnly && scheme !== 'bearer') return fail('invalid-token');
      if (scheme === 'basic') return this.basic(req, value, opts);
      if (scheme === 'bearer') return this.token(req, value, opts);
      if (opts.rawToken && !scheme) return this.token(req, value, opts);
      return fail('invalid-token');
    }
    // @fastify/cookie parses the header; a value that is not a session token (malformed, or
    // percent-encoding that does not decode) is as good as no cookie.
    const session = req.cookies?.[SESSION_COOKIE];
    if (opts.bearerOnly) return fail('missing');
    if (!session || !isWellFormedSessionToken(session)) return fail('missing');
    // Only the cookie is sent by a browser on its own: Basic and tokens need no CSRF check.
    if (isCrossSiteWrite(req, this.publicUrl)) return fail('cross-site');
    return this.session(req, session);
  }

  private basic(req: FastifyRequest, encoded: string, opts: AuthOptions): Maybe<AuthResult> {
    const key = this.passwords.key(encoded);
    const known = this.passwords.get(key);
    if (!known) return this.basicFirstSeen(req, encoded, key, opts);
    return then(this.findUser(known.login), (user) => {
      // Seen and verified a moment ago: still good while the user's stored hash is the same.
      if (!user || user.id !== known.userId || user.password_hash !== known.passwordHash) return this.basicFirstSeen(req, encoded, key, opts);
      // Near the end of its life the entry is verified again in the background: a client that
      // keeps sending never waits for the KDF. A failure (the account blocked meanwhile) lets it run out.
      if (this.passwords.renewalDue(known)) {
        const { login, password } = splitBasic(encoded)!;
        this.verifyPassword(req, login, password, key).catch((err: Error) => req.log.warn({ err: { message: err.message } }, 'auth: renewing a verified credential failed'));
      }
      return this.activeUser(req, user, true);
    });
  }

  private basicFirstSeen(req: FastifyRequest, encoded: string, key: string, opts: AuthOptions): Maybe<AuthResult> {
    const typed = splitBasic(encoded);
    if (!typed) return fail('bad-credentials');
    // Grafana accepts a token as the password of the user "api_key".
    if (typed.login === 'api_key') return this.token(req, typed.password, opts);
    return this.verifyPassword(req, typed.login, typed.password, key).then((result) => {
      if (result.check === 'bad-second-factor') return fail('bad-credentials');
      if (result.check !== 'ok') return fail(result.check);
      return this.activeUser(req, result.user, true);
    });
  }

  /** Checks a Basic password (one check per credential and address at a time) and remembers a success. */
  private verifyPassword(req: FastifyRequest, login: string, password: string, key: string): Promise<LoginCheck<UserRow>> {
    // Basic auth carries no second factor: an enrolled account answers "second factor required".
    const second = async (user: UserRow) => ((await hasTwoFactor(this.ctx, user.id)) ? 'required' : 'ok');
    const check = () =>
      checkLogin(this.ctx.db, login, password, req.ip, (typed) => this.findUser(typed), second).then((result) => {
        if (result.check === 'ok') this.passwords.set(key, login, result.user.id, result.user.password_hash!);
        return result;
      });
    return this.passwords.verifyOnce(`${key} ${req.ip}`, check, (r) => r.check === 'ok');
  }

  private findUser(login: string): Maybe<UserRow | undefined> {
    return this.cache.through(`login:${login}`, () => findUserByLoginOrEmail(this.ctx.db, login));
  }

  private activeUser(req: FastifyRequest, user: UserRow, passwordBased: boolean): Maybe<AuthResult> {
    if (user.is_disabled) return fail('disabled');
    return this.userPrincipal(req, user, passwordBased);
  }

  private async session(req: FastifyRequest, token: string): Promise<AuthResult> {
    const live = await resolveSession(this.ctx, token, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
    if (!live) return fail('missing');
    if (live.user.is_disabled) return fail('disabled');
    // The face's admission puts a rotated token in the cookie (face/register.ts).
    if (live.rotated) req.rotatedSession = live.rotated;
    const result = await this.userPrincipal(req, live.user, live.session.auth_method === 'password');
    if (result.ok) result.principal.sessionId = live.session.id;
    return result;
  }

  /**
   * `passwordBased`: signed in with a password (Basic, or a password session), so the orgs that
   * enforce two-factor authentication (PostHog's enforce_2fa) hold this caller off until they
   * enrol (policy/decide.ts); tokens and SSO sessions are never held off.
   */
  private userPrincipal(req: FastifyRequest, user: { id: number; login: string; org_id: number; is_admin: number; last_seen_at: string }, passwordBased: boolean): Maybe<AuthResult> {
    const held = passwordBased ? this.twoFactorHold(user.id) : undefined;
    return then(held, (holdIn) =>
      then(this.principalOf(req, user), (result) => {
        if (result.ok && holdIn) result.principal.twoFactorMissingIn = holdIn;
        return result;
      }),
    );
  }

  /** The orgs enforcing two-factor while this user has none (undefined: no hold); memoized until the next write. */
  private twoFactorHold(userId: number): Maybe<ReadonlySet<number> | undefined> {
    const orgs = this.cache.through('two-factor:enforcing', async () => new Set(await enforcingOrgs(this.ctx)));
    return then(orgs, (enforcing) => {
      if (!enforcing?.size) return undefined;
      const enrolled = this.cache.through(`two-factor:user:${userId}`, async () => ({ enrolled: await hasTwoFactor(this.ctx, userId) }));
      return then(enrolled, (e) => (e?.enrolled ? undefined : enforcing));
    });
  }

  private principalOf(req: FastifyRequest, user: { id: number; login: string; org_id: number; is_admin: number; last_seen_at: string }): Maybe<AuthResult> {
    return then(this.markSeen(user), () => {
      const requested = requestedOrgId(req);
      const orgId = requested ?? user.org_id;
      const member = this.cache.through(`member:${user.id}:${orgId}`, async () => {
        return { role: (await memberRole(this.ctx.db, orgId, user.id)) ?? null };
      });
      return then(member, (m): AuthResult => ({
        ok: true,
        principal: {
          kind: 'user',
          userId: user.id,
          serviceAccountId: null,
          tokenId: null,
          login: user.login,
          orgId: m?.role != null ? orgId : -1,
          role: m?.role != null && isRole(m.role) ? m.role : null,
          isServerAdmin: !!user.is_admin,
        },
      }));
    });
  }

  /**
   * Grafana records when a user was last seen (lists' lastSeenAt, the admin stats' active users)
   * at most every LAST_SEEN_EVERY_MS, so an active user is not a write per request.
   */
  private markSeen(user: { id: number; last_seen_at: string }): Maybe<void> {
    const nowMs = Date.now();
    if (nowMs - Date.parse(user.last_seen_at) < LAST_SEEN_EVERY_MS) return;
    const ts = new Date(nowMs).toISOString();
    return this.stamp('users', user.id, ts).then(() => {
      user.last_seen_at = ts; // a memoized row follows, so the next request does not write again
    });
  }

  /** Writes a user's last-seen or a token's last-used time. */
  private async stamp(table: 'users' | 'tokens', id: number, ts: string): Promise<void> {
    await (table === 'users' ? stampUserSeen : stampTokenUsed)(this.ctx.db, id, ts);
  }

  private async lookupToken(token: string): Promise<FoundToken | undefined> {
    const row = await findTokenByHash(this.ctx.db, this.ctx.hasher.hash(token));
    if (!row) return undefined;
    // Parsed once here, not on every request the memo answers.
    const found: FoundToken = { row, expiresMs: row.expires_at ? Date.parse(row.expires_at) : null, lastUsedMs: row.last_used_at ? Date.parse(row.last_used_at) : 0 };
    if (row.service_account_id !== null) {
      found.sa = await findServiceAccountById(this.ctx.db, row.service_account_id);
    } else if (row.user_id !== null) {
      found.user = await findUserById(this.ctx.db, row.user_id);
    }
    return found;
  }

  private token(req: FastifyRequest, token: string, opts: AuthOptions): Maybe<AuthResult> {
    if (isScimToken(token)) return opts.tokens.scim ? this.scimToken(token) : fail('wrong-kind');
    if (opts.tokens.scim && !opts.tokens.serviceAccount && !opts.tokens.personalKey) return fail('invalid-token');
    const isSa = token.startsWith('glsa_');
    const isPak = token.startsWith('phx_');
    if ((isSa && !opts.tokens.serviceAccount) || (isPak && !opts.tokens.personalKey)) return fail('wrong-kind');
    if (!isSa && !isPak) return fail('invalid-token');
    // The memo key is a plain SHA-256 (a third of an HMAC's cost); the secret has ~190 bits of
    // entropy, so the key reveals nothing, and it never leaves this process. A malformed token
    // (bad checksum) is turned away before any query, and, like any failure, never memoized.
    const memoKey = `token:${hash('sha256', token, 'base64')}`;
    const found = this.cache.through(memoKey, async () => (isSa && !isWellFormedServiceAccountToken(token) ? undefined : this.lookupToken(token)));
    return then(found, (f) => this.tokenHolder(req, f, isSa));
  }

  /** A SCIM token (domain/scim-tokens.ts): its org's Admin, for the SCIM face only. */
  private scimToken(token: string): Maybe<AuthResult> {
    const memoKey = `scim-token:${hash('sha256', token, 'base64')}`;
    const found = this.cache.through(memoKey, () => findScimTokenByHash(this.ctx.db, this.ctx.hasher.hash(token)));
    return then(found, (row) => {
      if (!row) return fail('invalid-token');
      if (row.revoked_at) return fail('revoked-token');
      const principal: Principal = { kind: 'scim', userId: null, serviceAccountId: null, tokenId: row.id, login: `scim-token-${row.id}`, orgId: row.org_id, role: 'Admin', isServerAdmin: false };
      const nowMs = Date.now();
      if (row.last_used_at && nowMs - Date.parse(row.last_used_at) <= 60_000) return { ok: true, principal };
      const ts = new Date(nowMs).toISOString();
      return stampScimTokenUsed(this.ctx.db, row.id, ts).then((): AuthResult => {
        row.last_used_at = ts; // the memoized row follows
        return { ok: true, principal };
      });
    });
  }

  /** Checks a looked-up token, records its use (at most once a minute), and names its holder. */
  private tokenHolder(req: FastifyRequest, found: FoundToken | undefined, isSa: boolean): Maybe<AuthResult> {
    const row = found?.row;
    if (!found || !row || row.kind !== (isSa ? 'sa' : 'pak')) return fail('invalid-token');
    if (row.revoked_at) return fail('revoked-token');
    const nowMs = Date.now();
    if (found.expiresMs !== null && found.expiresMs < nowMs) return fail('expired-token');
    if (nowMs - found.lastUsedMs <= 60_000) return this.holder(req, found, isSa);
    const ts = new Date(nowMs).toISOString();
    return this.stamp('tokens', row.id, ts).then(() => {
      // The memoized token follows, so the next hit does not write again.
      row.last_used_at = ts;
      found.lastUsedMs = nowMs;
      return this.holder(req, found, isSa);
    });
  }

  private holder(req: FastifyRequest, found: FoundToken, isSa: boolean): Maybe<AuthResult> {
    const row = found.row;
    if (isSa) {
      const sa = found.sa;
      if (!sa) return fail('invalid-token');
      if (sa.is_disabled) return fail('disabled');
      const requested = requestedOrgId(req);
      if (requested !== undefined && requested !== sa.org_id) return fail('org-mismatch');
      return {
        ok: true,
        principal: {
          kind: 'service-account',
          userId: null,
          serviceAccountId: sa.id,
          tokenId: row.id,
          login: sa.login,
          orgId: sa.org_id,
          role: sa.role as Role,
          isServerAdmin: false,
        },
      };
    }
    const user = found.user;
    if (!user) return fail('invalid-token');
    if (user.is_disabled) return fail('disabled');
    return then(this.userPrincipal(req, user, false), (result): AuthResult => {
      if (!result.ok) return result;
      // Named in place: userPrincipal made this object for this request. A spread copy per
      // request filled V8's old generation at ~20 MB/s under list load.
      const principal = result.principal;
      principal.kind = 'personal-key';
      principal.tokenId = row.id;
      principal.isServerAdmin = false;
      // A key without a scope list may do nothing (domain/policy/key-scopes.ts).
      principal.scopes = row.scopes ? JSON.parse(row.scopes) : [];
      principal.scopedOrgs = row.scoped_orgs ? JSON.parse(row.scoped_orgs) : null;
      return { ok: true, principal };
    });
  }
}

/** A token's row with its owner (service account or user), as memoized. */
interface FoundToken {
  row: TokenRow;
  /** row.expires_at and row.last_used_at in ms (0: never used). */
  expiresMs: number | null;
  lastUsedMs: number;
  sa?: ServiceAccountRow;
  user?: UserRow;
}

/** The org a caller asks to act in: `targetOrgId` query, else `X-Grafana-Org-Id`. */
function requestedOrgId(req: FastifyRequest): number | undefined {
  const q = (req.query as Record<string, unknown> | undefined)?.targetOrgId;
  const raw = typeof q === 'string' ? q : req.headers['x-grafana-org-id'];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const n = Number(raw);
  // -1 names no org: the caller is then a member of none, as for any unknown org. An integer
  // past the org id column's range (PostgreSQL integer, http/id-range.ts) is such an org too, and is never queried.
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : -1;
}
