// The shell: loads the session, shows the sign-in page or the signed-in layout, and routes.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { setUnauthorizedHandler } from './api.ts';
import { match, navigate, usePath } from './router.ts';
import { loadSession, SessionContext, type Session } from './session.tsx';
import { ErrorNote, Loading } from './ui/bits.tsx';
import { LoginPage } from './pages/login.tsx';
import { OrgsPage } from './pages/orgs.tsx';
import { OrgPage } from './pages/org.tsx';
import { TeamPage } from './pages/team.tsx';
import { UsersPage } from './pages/users.tsx';
import { UserPage } from './pages/user.tsx';
import { AccountPage } from './pages/account.tsx';
import { RESET_PAGE, ResetPasswordPage } from './pages/password-reset.tsx';

type State = { kind: 'loading' } | { kind: 'anon' } | { kind: 'failed'; error: unknown } | { kind: 'in'; session: Omit<Session, 'refresh'> };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const path = usePath();

  const load = useCallback(async () => {
    try {
      setState({ kind: 'in', session: await loadSession() });
    } catch (err) {
      const status = (err as { status?: number }).status;
      setState(status === 401 ? { kind: 'anon' } : { kind: 'failed', error: err });
    }
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => setState({ kind: 'anon' }));
    void load();
  }, [load]);

  // The page a password reset mail links to, signed in or not.
  if (path === RESET_PAGE)
    return (
      <ResetPasswordPage
        onDone={() => {
          navigate('/login', { replace: true });
          void load();
        }}
      />
    );
  if (state.kind === 'loading')
    return (
      <main class="container">
        <Loading label="Loading Roster…" />
      </main>
    );
  if (state.kind === 'failed') {
    return (
      <main class="container">
        <h1>Roster</h1>
        <ErrorNote error={state.error} />
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </main>
    );
  }
  if (state.kind === 'anon') {
    return (
      <LoginPage
        onSignedIn={async () => {
          if (location.pathname === '/login') navigate('/orgs', { replace: true });
          await load();
        }}
      />
    );
  }
  const session: Session = { ...state.session, refresh: load };
  return (
    <SessionContext.Provider value={session}>
      <Layout session={session} path={path} />
    </SessionContext.Provider>
  );
}

function Layout({ session, path }: { session: Session; path: string }) {
  const mainRef = useRef<HTMLElement>(null);
  const { me } = session;
  useEffect(() => {
    // An org requires two-factor authentication and this session has none: enrol first.
    if (session.twoFactorHeld && (path === '/' || path === '/login')) navigate('/account', { replace: true });
    else if (path === '/' || path === '/login') navigate('/orgs', { replace: true });
  }, [path, session.twoFactorHeld]);
  // After a navigation, focus the page's heading so keyboard and screen-reader users start there.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = mainRef.current;
    if (!main) return;
    // Pages show a loading note before their heading: wait for the heading to appear.
    const focusHeading = () => {
      const h1 = main.querySelector('h1');
      if (!h1) return false;
      h1.setAttribute('tabindex', '-1');
      h1.focus();
      return true;
    };
    if (focusHeading()) return;
    const observer = new MutationObserver(() => focusHeading() && observer.disconnect());
    observer.observe(main, { childList: true, subtree: true });
    const stop = setTimeout(() => observer.disconnect(), 10_000);
    return () => {
      observer.disconnect();
      clearTimeout(stop);
    };
  }, [path]);

  const section = path.startsWith('/users') ? 'users' : path.startsWith('/account') ? 'account' : 'orgs';
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <nav class="container" aria-label="Main">
          <ul>
            <li>
              <a href="/orgs" class="brand">
                <strong>Roster</strong>
              </a>
            </li>
          </ul>
          <ul>
            <li>
              <a href="/orgs" aria-current={section === 'orgs' ? 'page' : undefined}>
                Organizations
              </a>
            </li>
            {me.isGrafanaAdmin && (
              <li>
                <a href="/users" aria-current={section === 'users' ? 'page' : undefined}>
                  Users
                </a>
              </li>
            )}
            <li class="who">
              <a href="/account" title={me.email} aria-current={section === 'account' ? 'page' : undefined}>
                <span class="visually-hidden">Your account: </span>
                {me.login}
              </a>
            </li>
            <li>
              <a href="/logout" class="secondary">
                Sign out
              </a>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" class="container" ref={mainRef}>
        {session.twoFactorHeld && section !== 'account' && (
          <p role="alert" class="error-note">
            An organization you belong to requires two-factor authentication. <a href="/account#two-factor">Set it up on your account page</a> to work in it.
          </p>
        )}
        <Routes path={path} session={session} />
      </main>
    </>
  );
}

function Routes({ path, session }: { path: string; session: Session }) {
  let m: Record<string, string> | null;
  if (match('/orgs', path) || path === '/' || path === '/login') return <OrgsPage />;
  if ((m = match('/orgs/:id/teams/:teamId', path))) return <TeamPage orgId={Number(m.id)} teamId={Number(m.teamId)} />;
  if ((m = match('/orgs/:id/:tab?', path))) return <OrgPage id={Number(m.id)} tab={m.tab ?? ''} />;
  if (match('/account', path)) return <AccountPage />;
  if (session.me.isGrafanaAdmin && match('/users', path)) return <UsersPage />;
  if (session.me.isGrafanaAdmin && (m = match('/users/:id', path))) return <UserPage id={Number(m.id)} />;
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{path}</code>. <a href="/orgs">Go to the organizations</a>.
      </p>
    </>
  );
}
