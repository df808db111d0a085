// How the SCIM face answers: application/scim+json, the resource's version as its ETag, and the
// If-Match check of every change (RFC 7644 §3.14).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimProblem, SCIM_CONTENT_TYPE } from './errors.ts';
import type { Resource } from './resources.ts';

export function sendScim(reply: FastifyReply, status: number, body: unknown, resource?: Resource): FastifyReply {
  reply.code(status).type(SCIM_CONTENT_TYPE);
  if (resource) reply.header('etag', resource.meta.version as string);
  return reply.send(body);
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** A stale If-Match is 412, nothing written; `*` and no header match anything. */
export function checkIfMatch(req: FastifyRequest, resource: Resource): void {
  const header = req.headers['if-match'];
  if (header === undefined || header.trim() === '*') return;
  const current = opaque(resource.meta.version as string);
  if (!header.split(',').some((tag) => opaque(tag) === current)) throw new ScimProblem(412, undefined, 'The resource changed since that version (If-Match)');
}
