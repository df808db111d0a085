// The CSRF rule, after Grafana's CSRF middleware: a request that changes state and carries the
// session cookie is refused when the browser says it was sent from another site. The cookie is
// SameSite=Lax, which already stops most cross-site writes; this also covers a sibling
// subdomain ("same-site" to SameSite) and browsers that ignore SameSite. Only the session
// cookie is checked (auth.ts): Basic and token requests carry a credential a foreign page
// cannot attach. A request with neither Origin nor Referer is a script, not a browser page,
// and passes, as in Grafana.
import type { FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Whether `source` (an Origin or Referer value) names this server: its public URL or the host the request was sent to. */
function isOwnOrigin(source: string, req: FastifyRequest, publicUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return false; // "null" (an opaque origin) and anything unparsable are not us
  }
  if (publicUrl && url.origin === new URL(publicUrl).origin) return true;
  return url.host !== '' && url.host === req.host.toLowerCase();
}

export function isCrossSiteWrite(req: FastifyRequest, publicUrl: string | undefined): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (origin !== undefined) return !isOwnOrigin(origin, req, publicUrl);
  const referer = req.headers.referer;
  if (referer !== undefined) return !isOwnOrigin(referer, req, publicUrl);
  return false;
}
