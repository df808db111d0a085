// Where PostHog reads a personal API key and how it words a failed authentication.
import type { FastifyRequest } from 'fastify';
import type { AuthFailure } from '../../http/auth.ts';
import type { Rendered } from '../../http/face/face.ts';
import { authError, rendered } from './errors.ts';

/** Where each request's personal key was read from, for the 401 that names it. */
const keySources = new WeakMap<FastifyRequest, string>();

/**
 * PostHog reads a personal key from the Authorization header, else the body's
 * `personal_api_key`, else the query string; the 401 names where it looked.
 */
export function readKey(req: FastifyRequest): void {
  if (req.headers.authorization) return void keySources.set(req, 'Authorization header');
  const fromBody = (req.body as Record<string, unknown> | undefined)?.personal_api_key;
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.personal_api_key;
  const [value, source] = typeof fromBody === 'string' && fromBody ? [fromBody, 'body'] : [fromQuery, 'query string'];
  if (typeof value === 'string' && value) req.headers.authorization = `Bearer ${value}`;
  keySources.set(req, source);
}

/** A scheme PostHog does not know counts as no credentials at all. */
export function posthogAuthFailure(failure: AuthFailure, req: FastifyRequest): Rendered {
  const header = req.headers.authorization?.trim() ?? '';
  const scheme = header.split(/\s+/, 1)[0].toLowerCase();
  const seen = header && scheme !== 'bearer' && scheme !== 'basic' ? 'missing' : failure;
  return rendered(authError(seen, scheme === 'bearer', keySources.get(req)));
}
