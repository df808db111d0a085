// A small history router: the path is state, links are plain <a href> caught by one listener,
// so they work with the keyboard, middle-click and "open in new tab" like any link.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

export function navigate(path: string, opts: { replace?: boolean } = {}) {
  if (path === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((fn) => fn());
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** Same-origin links navigate in the app; modified clicks keep the browser's behaviour. */
export function interceptLinks() {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest('a');
    if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
    // Real requests: the server ends the session, or sends the browser to the identity provider.
    if (a.pathname === '/logout' || a.pathname === '/login/generic_oauth') return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
}

/** "/orgs/:id/:tab" against "/orgs/3/members" -> { id: "3", tab: "members" }; optional parts end with "?". */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (s.length > p.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i];
    const optional = part.endsWith('?');
    const seg = s[i];
    if (seg === undefined) {
      if (optional) continue;
      return null;
    }
    if (part.startsWith(':')) out[part.slice(1).replace(/\?$/, '')] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return out;
}
