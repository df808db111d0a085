// DRF-style error bodies (docs/compat/oncall.md#errors-and-throttling): {"detail": "..."} and
// {field: [messages]}. There is no 401 on this face: every authentication failure is 403
// "Invalid token." without WWW-Authenticate.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import { markUnavailable, UNAVAILABLE_MESSAGE } from '../../http/unavailable.ts';

export const INVALID_TOKEN = { detail: 'Invalid token.' };
export const NO_PERMISSION = { detail: 'You do not have permission to perform this action.' };
export const NOT_FOUND = { detail: 'Not found.' };
/** DRF's ServiceUnavailable (503), while the database is unavailable. */
export const UNAVAILABLE = { detail: UNAVAILABLE_MESSAGE };
export const SERVICE_ACCOUNT_HAS_NO_USER = { detail: 'This endpoint is only available for users, not service accounts.' };

/** An error whose DRF status and body the face decides itself (filter and body validation). */
export class DrfError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(JSON.stringify(body));
  }
}

export const methodNotAllowed = (method: string) => new DrfError(405, { detail: `Method "${method}" not allowed.` });

/** Python's type names, as DRF's "Expected a dictionary, but got list." quotes them. */
function pyType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

/** Body schema failures in DRF's words; only flat objects of booleans are accepted on this face. */
function validationBody(req: FastifyRequest, err: { validation: { instancePath: string }[] }) {
  const first = err.validation[0];
  const field = first?.instancePath.replace(/^\//, '').split('/')[0];
  if (!field) return { non_field_errors: [`Invalid data. Expected a dictionary, but got ${pyType(req.body)}.`] };
  return { [field]: ['Must be a valid boolean.'] };
}

export function sendDrfError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  if (err instanceof DrfError) return reply.code(err.status).send(err.body);
  if (isDomainError(err)) {
    if (err.kind === 'not-found') return reply.code(404).send(NOT_FOUND);
    if (err.kind === 'forbidden' && err.code === 'user-only') return reply.code(403).send(SERVICE_ACCOUNT_HAS_NO_USER);
    if (err.kind === 'forbidden' || err.kind === 'unauthorized') return reply.code(403).send(NO_PERMISSION);
    const field = typeof err.detail.field === 'string' ? err.detail.field : 'non_field_errors';
    return reply.code(400).send({ [field]: [err.message] });
  }
  const e = err as { statusCode?: number; code?: string; message?: string; validation?: { instancePath: string }[] };
  if (e.validation) return reply.code(400).send(validationBody(req, e as { validation: { instancePath: string }[] }));
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return reply.code(400).send({ detail: `JSON parse error - ${e.message}` });
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return reply.code(415).send({ detail: `Unsupported media type "${req.headers['content-type'] ?? ''}" in request.` });
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ detail: 'Request body too large.' });
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return reply.code(400).send({ detail: 'Malformed request.' });
  if (markUnavailable(req, reply, err)) return reply.send(UNAVAILABLE);
  req.log.error({ err, reqId: req.id }, 'unhandled error');
  return reply.code(500).send({ detail: 'A server error occurred.' });
}
