// The browser session's cookie, Grafana's name (docs/sessions-and-login.md): set by POST /login
// (session.ts) and when a request rotates the session's token (face/register.ts), read by the
// authenticator (auth.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'grafana_session';

/**
 * The cookie is Secure when Roster is served over https: its public URL says so, or this request
 * came over https (directly, or through a proxy in ROSTER_TRUSTED_PROXIES, whose
 * X-Forwarded-Proto Fastify's trustProxy then honours as req.protocol).
 */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, publicUrl: string, value: string, maxAgeSeconds: number): void {
  const secure = publicUrl.startsWith('https:') || req.protocol === 'https';
  reply.setCookie(SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: maxAgeSeconds });
}
