// Single sign-on with one OpenID provider at Grafana's path, GET /login/generic_oauth: without a
// code it sends the browser to the provider (authorization code with PKCE, state and nonce);
// the provider sends it back there with the code. openid-client checks the answer: state, the ID
// token's signature, issuer, audience, expiry and nonce. docs/sso.md.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import * as oidc from 'openid-client';
import type { OidcConfig } from '../config-oidc.ts';
import { audit } from '../domain/audit.ts';
import type { Ctx } from '../domain/context.ts';
import { isDomainError } from '../domain/errors.ts';
import { clearFailedLogins, isAddressBlocked, isLoginBlocked, recordFailedLogin } from '../domain/login-throttle.ts';
import { startSession } from '../domain/sessions.ts';
import { ssoProfile, type Claims } from '../domain/sso-profile.ts';
import { ssoSignIn } from '../domain/sso-sign-in.ts';
import { consumeSsoLogin, insertSsoLogin } from '../store/sso-logins.ts';
import { setSessionCookie } from './session-cookie.ts';
import { LOGIN_ERROR_COOKIE, SSO_STATE_COOKIE } from './sso-cookies.ts';

/** openid-client wraps the check that failed ("unexpected JWT "aud" (audience) claim value") in a generic error: the precise one is said. */
function innermost(err: unknown): string {
  let e = err as Error;
  while (e.cause instanceof Error) e = e.cause;
  return e.message;
}

export const SSO_PATH = '/login/generic_oauth';
/** How long a browser may stay at the provider before its sign-in must start again. */
const PENDING_TTL_MS = 10 * 60_000;
const BLOCKED = 'Too many consecutive incorrect login attempts for user - login for user temporarily blocked';

/** A refusal carrying what the person signing in is shown, and the account it concerns when known. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly subject?: string,
  ) {
    super(message);
  }
}

/** The provider's metadata, fetched at the first sign-in (not at start, so Roster starts while the provider is down) and kept. */
class Provider {
  private configuration: Promise<oidc.Configuration> | undefined;
  constructor(private cfg: OidcConfig) {}

  get(): Promise<oidc.Configuration> {
    if (!this.configuration) {
      const { cfg } = this;
      // A provider reached over plain http (a test provider, or one on the same host) is allowed, as Grafana allows it.
      const execute = new URL(cfg.issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
      const auth = cfg.clientSecret ? oidc.ClientSecretBasic(cfg.clientSecret) : oidc.None();
      this.configuration = oidc
        .discovery(new URL(cfg.issuer), cfg.clientId, undefined, auth, { execute, timeout: 10 })
        .then((configuration) => {
          // openid-client, as the OpenID spec allows, skips the signature of an ID token fetched
          // from the token endpoint over TLS; Roster verifies it always (and over plain http it must).
          oidc.enableNonRepudiationChecks(configuration);
          return configuration;
        })
        .catch((err) => {
          this.configuration = undefined;
          throw err;
        });
    }
    return this.configuration;
  }
}

export const ssoRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx; oidc: OidcConfig | undefined; publicUrl: string }> = async (app, opts) => {
  const { ctx } = opts;
  const cfg = opts.oidc;
  const provider = cfg && new Provider(cfg);
  const secure = (req: FastifyRequest) => opts.publicUrl.startsWith('https:') || req.protocol === 'https';

  const Message = Type.Object({ message: Type.String() });
  app.get(
    SSO_PATH,
    {
      config: { writes: true },
      schema: {
        summary: 'Single sign-on: starts at the OpenID provider, and finishes when it sends the browser back here with a code',
        tags: ['session'],
        querystring: Type.Object({}, { additionalProperties: Type.String() }),
        response: {
          302: Type.Union([Message, Type.Null()], { description: 'To the provider, to the console (signed in), or to /login with the reason the sign-in was refused' }),
          404: Message,
        },
      },
    },
    async (req, reply) => {
      if (!cfg || !provider) return reply.code(404).send({ message: 'Single sign-on is not configured (ROSTER_OIDC_ISSUER)' });
      const q = req.query as Record<string, string>;
      try {
        // Anyone can send a browser here with an error: its text is shown (escaped) but kept short.
        if (q.error) throw new Refusal(`${cfg.name} refused the sign-in: ${(q.error_description || q.error).slice(0, 200)}`, 'provider-error');
        if (!q.code && !q.state) return await start(req, reply, cfg, provider);
        return await finish(req, reply, cfg, provider, q);
      } catch (err) {
        return refuse(req, reply, err);
      }
    },
  );

  async function start(req: FastifyRequest, reply: FastifyReply, cfg: OidcConfig, provider: Provider) {
    let configuration: oidc.Configuration;
    try {
      configuration = await provider.get();
    } catch (err) {
      req.log.warn({ err }, 'single sign-on: the provider could not be reached');
      return loginError(req, reply, `${cfg.name} cannot be reached, or its discovery document is not valid (the server log says which); try again later`);
    }
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const created = new Date();
    await insertSsoLogin(ctx.db, ctx.hasher.hash(state), created.toISOString(), new Date(created.getTime() + PENDING_TTL_MS).toISOString());
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: cfg.redirectUri,
      scope: cfg.scopes.join(' '),
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    // The browser that started the sign-in is the one that may finish it: the state, nonce and
    // PKCE verifier stay in its cookie (sent back on the provider's top-level redirect: SameSite=Lax).
    reply.setCookie(SSO_STATE_COOKIE, `${state}.${nonce}.${verifier}`, { path: SSO_PATH, httpOnly: true, sameSite: 'lax', secure: secure(req), maxAge: PENDING_TTL_MS / 1000 });
    return reply.redirect(url.href, 302);
  }

  async function finish(req: FastifyRequest, reply: FastifyReply, cfg: OidcConfig, provider: Provider, q: Record<string, string>) {
    if (await isAddressBlocked(ctx.db, req.ip)) throw new Refusal(BLOCKED, 'blocked');
    const [state, nonce, verifier] = (req.cookies[SSO_STATE_COOKIE] ?? '').split('.');
    reply.clearCookie(SSO_STATE_COOKIE, { path: SSO_PATH });
    if (!state || !nonce || !verifier || q.state !== state) throw new Refusal('This sign-in was not started in this browser (its state does not match): start again', 'state-mismatch');
    if (!(await consumeSsoLogin(ctx.db, ctx.hasher.hash(state), new Date().toISOString()))) {
      throw new Refusal('This sign-in was already used or has expired: start again', 'state-used');
    }
    const configuration = await provider.get();
    const currentUrl = new URL(cfg.redirectUri);
    for (const [k, v] of Object.entries(q)) currentUrl.searchParams.set(k, v);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    } catch (err) {
      throw new Refusal(`${cfg.name}'s answer was refused: ${innermost(err)}`, 'token-refused');
    }
    const idToken = tokens.claims() as Claims;
    const subject = String(idToken.sub);
    const budget = `sso:${cfg.issuer}:${subject}`;
    if (await isLoginBlocked(ctx.db, budget, req.ip)) throw new Refusal(BLOCKED, 'blocked', subject);
    let userInfo: Claims | undefined;
    if (configuration.serverMetadata().userinfo_endpoint) {
      try {
        userInfo = (await oidc.fetchUserInfo(configuration, tokens.access_token, subject)) as Claims;
      } catch (err) {
        throw new Refusal(`${cfg.name}'s user information was refused: ${innermost(err)}`, 'userinfo-refused', subject);
      }
    }
    let userId: number;
    try {
      const profile = ssoProfile(cfg, configuration.serverMetadata().issuer, idToken, userInfo);
      ({ userId } = await ssoSignIn(ctx, cfg, profile, req.id));
    } catch (err) {
      if (isDomainError(err) && err.code.startsWith('sso.')) throw new Refusal(err.message, err.code.slice(4), subject);
      throw err;
    }
    await clearFailedLogins(ctx.db, budget);
    const session = await startSession(ctx, userId, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null }, 'sso');
    setSessionCookie(req, reply, opts.publicUrl, session.token, session.maxAgeSeconds);
    return reply.redirect('/', 302);
  }

  /** A refused sign-in: audited, counted against the address (and the account, when known), and shown on the sign-in page. */
  async function refuse(req: FastifyRequest, reply: FastifyReply, err: unknown) {
    if (!(err instanceof Refusal)) throw err;
    const key = err.subject ? `sso:${cfg!.issuer}:${err.subject}` : `sso:${cfg!.issuer}`;
    if (err.code !== 'blocked') await recordFailedLogin(ctx.db, key, req.ip);
    await audit(
      ctx.db,
      { kind: 'user', userId: null, serviceAccountId: null, tokenId: null, login: 'sso', orgId: -1, role: null, isServerAdmin: false, via: { face: 'sso', requestId: req.id } },
      {
        action: 'user.sso.login.failed',
        objectType: 'sign-in',
        objectId: err.subject ?? '',
        after: { issuer: cfg!.issuer, reason: err.code, message: err.message, ip: req.ip },
      },
    );
    return loginError(req, reply, err.message);
  }

  /** Back to the sign-in page, which shows the message (Grafana passes it the same way, in a short-lived cookie; @fastify/cookie percent-encodes it). */
  function loginError(req: FastifyRequest, reply: FastifyReply, message: string) {
    reply.setCookie(LOGIN_ERROR_COOKIE, message, { path: '/', httpOnly: false, sameSite: 'lax', secure: secure(req), maxAge: 60 });
    return reply.code(302).header('location', '/login').send({ message });
  }
};
