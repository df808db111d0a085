// The browser session's cookie, Grafana's name (docs/sessions-and-login.md): set by POST /login
// (session.ts), read by the authenticator (auth.ts).
export const SESSION_COOKIE = 'grafana_session';
