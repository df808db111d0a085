// A real OpenID provider (the oidc-provider package) in the test process, with accounts the test
// edits between sign-ins, and a way to make its token endpoint answer with a bad ID token (signed
// by another key, for another audience, expired, or with another nonce), as a hostile or broken
// provider would. signInOverHttp drives the browser's part of the flow with plain HTTP.
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import Provider, { type KoaContext } from 'oidc-provider';
import type { TestRoster } from './roster.ts';

export interface Account {
  email?: string;
  name?: string;
  preferred_username?: string;
  groups?: string[];
  role?: string;
  email_verified?: boolean;
}

export type Tamper = 'foreign-key' | 'audience' | 'expired' | 'nonce';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, Account>;
  /** The next token answers carry this fault, until set back to undefined. */
  tamper: Tamper | undefined;
  /** ROSTER_OIDC_* settings for a Roster whose public URL is `publicUrl`. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

/** A port nobody listens on now (the provider's issuer and Roster's public URL must be known before they listen). */
export async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(payload));
  return `${head}.${body}.${b64url(sign('sha256', Buffer.from(`${head}.${body}`), key))}`;
}

export async function startProvider(redirectUris: string | string[]): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'roster';
  const clientSecret = randomUUID();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key';
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const accounts = new Map<string, Account>();

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUris].flat(), grant_types: ['authorization_code'], response_types: ['code'] }],
    jwks: { keys: [jwk as any] },
    cookies: { keys: [randomUUID()] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'groups', 'role'] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    async findAccount(_ctx: KoaContext, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
    // Every scope is granted at once: the test stands for the user, who has nothing to consent to.
    async loadExistingGrant(ctx: KoaContext) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const state: { tamper: Tamper | undefined } = { tamper: undefined };
  provider.use(async (ctx: KoaContext, next: () => Promise<void>) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path !== '/token' || !state.tamper || !body?.id_token) return;
    const claims = JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url').toString('utf8'));
    const nowS = Math.floor(Date.now() / 1000);
    if (state.tamper === 'audience') claims.aud = 'another-client';
    if (state.tamper === 'expired') Object.assign(claims, { iat: nowS - 7200, exp: nowS - 3600 });
    if (state.tamper === 'nonce') claims.nonce = 'not-the-nonce-sent';
    body.id_token = signJwt(claims, state.tamper === 'foreign-key' ? foreignKey : privateKey, kid);
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    get tamper() {
      return state.tamper;
    },
    set tamper(v) {
      state.tamper = v;
    },
    env(extra = {}) {
      return { ROSTER_OIDC_ISSUER: issuer, ROSTER_OIDC_CLIENT_ID: clientId, ROSTER_OIDC_CLIENT_SECRET: clientSecret, ROSTER_OIDC_NAME: 'Test IdP', ...extra };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Cookies of one host, as a browser keeps them (name -> value), from Set-Cookie headers. */
class Jar {
  private cookies = new Map<string, string>();
  take(setCookie: string[] | string | number | undefined) {
    for (const line of [setCookie ?? []].flat()) {
      const [pair, ...attrs] = String(line).split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string) {
    return this.cookies.get(name);
  }
  set(name: string, value: string) {
    this.cookies.set(name, value);
  }
}

export interface Browser {
  roster: Jar;
  provider: Jar;
}

export const newBrowser = (): Browser => ({ roster: new Jar(), provider: new Jar() });

/** A GET at the provider with its cookies, not following redirects. */
async function providerGet(b: Browser, url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: b.provider.header() } });
  b.provider.take(res.headers.getSetCookie());
  await res.text();
  return res;
}

/**
 * Takes a browser from Roster's GET /login/generic_oauth to the provider, signs in there as
 * `account`, and answers the callback URL the provider sends it back to (not yet followed).
 */
export async function toProviderAndBack(t: TestRoster, op: TestProvider, account: string, b: Browser = newBrowser()): Promise<{ callback: string; browser: Browser }> {
  const start = await t.request('GET', '/login/generic_oauth', { cookie: b.roster.header() });
  if (start.status !== 302) throw new Error(`start: ${start.status} ${start.text}`);
  b.roster.take(start.headers['set-cookie'] as string[]);
  let url = String(start.headers.location);
  if (!url.startsWith(op.issuer)) throw new Error(`start did not go to the provider: ${url} (${start.text})`);
  for (let hops = 0; hops < 10; hops++) {
    const res = await providerGet(b, url);
    const next = new URL(res.headers.get('location') ?? '', url).href;
    if (!res.headers.get('location')) throw new Error(`provider answered ${res.status} at ${url}`);
    if (!next.startsWith(op.issuer)) return { callback: next, browser: b };
    if (/\/interaction\/[^/]+$/.test(new URL(next).pathname)) {
      const form = new URLSearchParams({ prompt: 'login', login: account, password: 'any' });
      const posted = await providerGet(b, next, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      url = new URL(posted.headers.get('location') ?? '', next).href;
      continue;
    }
    url = next;
  }
  throw new Error('too many redirects at the provider');
}

/** Finishes at Roster: the provider's redirect followed, as the browser would. */
export async function finishAtRoster(t: TestRoster, callback: string, b: Browser) {
  const u = new URL(callback);
  const res = await t.request('GET', u.pathname + u.search, { cookie: b.roster.header() });
  b.roster.take(res.headers['set-cookie'] as string[]);
  return res;
}

/** The whole browser flow: answers Roster's last reply and the session cookie it set, if any. */
export async function signInOverHttp(t: TestRoster, op: TestProvider, account: string) {
  const { callback, browser } = await toProviderAndBack(t, op, account);
  const res = await finishAtRoster(t, callback, browser);
  const session = browser.roster.get('grafana_session');
  return { res, session, cookie: session ? `grafana_session=${session}` : undefined, browser };
}
