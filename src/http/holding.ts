// The port's listener from the moment `serve` starts: until the app is ready (its database
// reachable, migrated, bootstrapped) every request is answered 503 with Retry-After in the
// body of the face it was meant for, so a load balancer sees "unavailable", never "refused";
// then the listener hands every request to the app, in the same process, without rebinding.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { grafanaErrors } from '../api/grafana/errors.ts';
import { HEALTH_FAILING } from '../api/grafana/misc.ts';
import { oncallErrors } from '../api/oncall/errors.ts';
import { posthogErrors } from '../api/posthog/error-renderer.ts';
import { rosterErrors } from '../api/roster/errors.ts';
import { RETRY_AFTER } from '../store/unavailable.ts';
import { UNAVAILABLE_MESSAGE } from './unavailable.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** The 503 body of the face that owns `url`, as its error renderer words it (see their errors.ts). */
export function unavailableBody(url: string, requestId: string): unknown {
  const path = url.split('?', 1)[0]!;
  if (path === '/api/health') return HEALTH_FAILING;
  if (path.startsWith('/api/roster/')) return rosterErrors.unavailable(requestId);
  if (path.startsWith('/api/v1/')) return oncallErrors.unavailable(requestId);
  if (/^\/api\/(organizations|personal_api_keys|users\/@me)(\/|$)/.test(path)) return posthogErrors.unavailable(requestId);
  if (path === '/login' || path === '/logout') return { message: UNAVAILABLE_MESSAGE };
  return grafanaErrors.unavailable(requestId);
}

export interface Holding {
  server: http.Server;
  /** From now on requests go to `handler` (the app's). */
  open(handler: Handler): void;
}

export function holdingServer(): Holding {
  let handler: Handler | undefined;
  const server = http.createServer((req, res) => {
    if (handler) return handler(req, res);
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && header ? header : randomUUID();
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(RETRY_AFTER.outage), 'x-request-id': requestId });
    res.end(JSON.stringify(unavailableBody(req.url ?? '/', requestId)));
  });
  // Fastify's own defaults for the servers it creates (keep-alive longer than a typical load
  // balancer's idle timeout, no per-request timeout), kept now that Roster creates the server.
  server.keepAliveTimeout = 72_000;
  server.requestTimeout = 0;
  return { server, open: (h) => void (handler = h) };
}
