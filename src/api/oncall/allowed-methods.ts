// DRF's method handling: methods a path lacks answer 405 (after authentication), OPTIONS answers
// DRF's metadata, and every response of a path carries its Allow header.
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { methodNotAllowed } from './errors.ts';

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const DRF_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The Allow header of each route pattern (prefix included): it follows from the routes, so it is the same for every Roster. */
const allowHeaders = new Map<string, string>();

export function allowHeader(routeUrl: string | undefined): string | undefined {
  return routeUrl === undefined ? undefined : allowHeaders.get(routeUrl);
}

/** Call once per path, after its real routes, with the methods it has. */
export function finishRoute(app: FastifyInstance, url: string, name: string, allowed: HTTPMethods[]) {
  allowHeaders.set(app.prefix + url, DRF_ORDER.filter((m) => allowed.includes(m as HTTPMethods) || m === 'HEAD' || m === 'OPTIONS').join(', '));
  const missing = ALL_METHODS.filter((m) => !allowed.includes(m));
  if (missing.length) {
    app.route({ method: missing, url, schema: { hide: true }, handler: async (req) => Promise.reject(methodNotAllowed(req.method)) });
  }
  app.route({
    method: 'OPTIONS',
    url,
    schema: { hide: true },
    handler: async () => ({
      name,
      description: '',
      renders: ['application/json', 'text/html'],
      parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
    }),
  });
}
