// The sign-in page's single sign-on part: "Sign in with <name>" when the server has a provider
// (GET /login/generic_oauth), the reason a sign-in there was refused, and auto-login.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';

/** Set by the server when a single sign-on is refused (src/http/sso-cookies.ts); read once, then cleared. */
const ERROR_COOKIE = 'roster_login_error';

function takeLoginError(): string {
  const hit = document.cookie.split('; ').find((c) => c.startsWith(`${ERROR_COOKIE}=`));
  if (!hit) return '';
  document.cookie = `${ERROR_COOKIE}=; Max-Age=0; path=/`;
  try {
    return decodeURIComponent(hit.slice(ERROR_COOKIE.length + 1));
  } catch {
    return '';
  }
}

interface FrontendSettings {
  oauth?: Record<string, { name: string }>;
  oauthAutoLogin?: boolean;
}

export function SsoSignIn() {
  const [error] = useState(takeLoginError);
  const [provider, setProvider] = useState<{ name: string } | null>(null);
  useEffect(() => {
    api<FrontendSettings>('/api/frontend/settings')
      .then((s) => {
        const p = s.oauth?.generic_oauth;
        if (!p) return;
        setProvider(p);
        // Auto-login, except right after a refusal (which would loop) or when asked not to (?disableAutoLogin, as Grafana).
        if (s.oauthAutoLogin && !error && !new URLSearchParams(location.search).has('disableAutoLogin')) location.assign('/login/generic_oauth');
      })
      .catch(() => {});
  }, [error]);
  return (
    <>
      {error && (
        <p role="alert" class="error-note">
          {error}
        </p>
      )}
      {provider && (
        <p>
          <a href="/login/generic_oauth" role="button" class="secondary sso-button">
            Sign in with {provider.name}
          </a>
        </p>
      )}
    </>
  );
}
