// Signs a user in through POST /login and hands back the session cookie as a browser would send it.
import assert from 'node:assert/strict';
import type { TestRoster } from '../helpers/roster.ts';

/** The Set-Cookie header of a reply, as one string. */
export function setCookieOf(headers: Record<string, unknown>): string {
  const raw = headers['set-cookie'];
  return Array.isArray(raw) ? raw.join('\n') : String(raw ?? '');
}

/** `grafana_session=<token>`, ready for a Cookie header. */
export async function signIn(t: TestRoster, user: string, password: string): Promise<string> {
  const r = await t.request('POST', '/login', { body: { user, password } });
  assert.equal(r.status, 200, r.text);
  const m = /grafana_session=([^;]+)/.exec(setCookieOf(r.headers));
  assert.ok(m, 'a session cookie is set');
  return `grafana_session=${m[1]}`;
}
