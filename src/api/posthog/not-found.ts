// Under PostHog's paths, an unknown URL is PostHog's 404 "Endpoint not found.", and a known URL
// with a method it lacks is 405 (after authentication, as DRF checks credentials first).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PhError, phMethodNotAllowed } from './errors.ts';
import { sendPosthogError } from './error-renderer.ts';

const SEG = '[^/]+';
const KNOWN = [
  '/api/organizations',
  `/api/organizations/${SEG}`,
  `/api/organizations/${SEG}/(members|invites|integrations|roles)`,
  `/api/organizations/${SEG}/(members|invites|integrations|roles)/${SEG}`,
  `/api/organizations/${SEG}/roles/${SEG}/role_memberships`,
  `/api/organizations/${SEG}/roles/${SEG}/role_memberships/${SEG}`,
  `/api/organizations/${SEG}/members/${SEG}/scoped_api_keys`,
  `/api/organizations/${SEG}/invites/bulk`,
  `/api/organizations/${SEG}/integrations/${SEG}/environment-mapping`,
  '/api/personal_api_keys',
  `/api/personal_api_keys/${SEG}`,
  `/api/personal_api_keys/${SEG}/roll`,
].map((p) => new RegExp(`^${p}/?$`));

/** Whether a URL is one of PostHog's, whatever the method. */
export function isKnownPath(req: FastifyRequest): boolean {
  const path = req.url.split('?', 1)[0].replace(/\/{2,}/g, '/');
  return KNOWN.some((re) => re.test(path));
}

const endpointNotFound = () => new PhError(404, 'invalid_request', 'not_found', 'Endpoint not found.');

export async function posthogNotFound(app: FastifyInstance) {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const err = isKnownPath(req) && req.principal ? phMethodNotAllowed(req.method) : endpointNotFound();
    return sendPosthogError(req, reply, err);
  };
  for (const prefix of ['/api/organizations', '/api/personal_api_keys']) {
    await app.register(async (scope) => scope.setNotFoundHandler(handler), { prefix });
  }
}
