// One input check at the edge, for every face and both databases (docs/input-limits.md): before
// a handler runs (and so before any query), every string of the path, the query string and the
// JSON body is acceptable text (domain/text.ts), integer path ids fit the id columns
// (id-range.ts), and no body string is longer than MAX_BODY_STRING. A refusal is thrown to the
// route's own error handler, so it comes in that face's error format.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, invalid } from '../domain/errors.ts';
import { FREE_JSON_FIELDS, MULTILINE_FIELDS, SECRET_FIELDS, textFault } from './input-text.ts';
import { ID_QUERY_PARAMS, isIdParam, outOfIdRange, unknownIdError } from './id-range.ts';
import { STATUS_OF_KIND } from './error-status.ts';

/** No body string may be longer, whatever the field (an integration's config included): Roster's own bound. */
export const MAX_BODY_STRING = 4096;

/** A refusal in the form the route's error handler renders as a 400 (`value`: what was refused). */
function refusal(req: FastifyRequest, field: string, message: string, value?: string): Error {
  // The session routes answer every domain error as a failed sign-in (401): a plain 400 there.
  if (req.routeOptions.url === '/login' || req.routeOptions.url === '/logout') {
    return Object.assign(new Error(message), { statusCode: 400 });
  }
  // OnCall's filters are Django form fields, which refuse NUL in these words ({"field": [...]}).
  if (req.url.startsWith('/api/v1/') && value?.includes('\u0000')) {
    return withStatus(invalid('input.invalid', 'Null characters are not allowed.', { field, attr: field }));
  }
  return withStatus(invalid('input.invalid', `${field} ${message}`, { field, attr: field }));
}

/**
 * The faces map a DomainError themselves; routes outside them (metrics, the console, the API
 * document) have Fastify's default error handler, which reads statusCode.
 */
function withStatus(err: DomainError): DomainError {
  return Object.assign(err, { statusCode: STATUS_OF_KIND[err.kind] });
}

function checkBody(req: FastifyRequest, value: unknown, path: string, multiline: boolean, free: boolean): Error | undefined {
  if (typeof value === 'string') {
    const fault = textFault(value, multiline || free);
    if (fault) return refusal(req, path, fault);
    if (value.length > MAX_BODY_STRING) return refusal(req, path, `is longer than ${MAX_BODY_STRING} characters`);
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const err = checkBody(req, item, path, multiline, free);
      if (err) return err;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const name = path ? `${path}.${key}` : key;
    const fault = textFault(key);
    if (fault) return refusal(req, 'a field name', fault);
    if (!path && SECRET_FIELDS.has(key) && typeof item === 'string') {
      if (item.length > MAX_BODY_STRING) return refusal(req, key, `is longer than ${MAX_BODY_STRING} characters`);
      continue;
    }
    const err = checkBody(req, item, name, multiline || (!path && MULTILINE_FIELDS.has(key)), free || (!path && FREE_JSON_FIELDS.has(key)));
    if (err) return err;
  }
  return undefined;
}

function checkQuery(req: FastifyRequest): Error | undefined {
  const query = req.query as Record<string, unknown> | undefined;
  if (!query || typeof query !== 'object') return undefined;
  for (const [key, value] of Object.entries(query)) {
    for (const v of [key, ...[value].flat()]) {
      if (typeof v !== 'string') continue;
      const fault = textFault(v);
      if (fault) return refusal(req, key, fault, v);
      if (v !== key && ID_QUERY_PARAMS.has(key) && outOfIdRange(v)) return refusal(req, key, 'is out of range');
    }
  }
  return undefined;
}

function checkParams(req: FastifyRequest): Error | undefined {
  const params = req.params as Record<string, unknown> | undefined;
  if (!params || typeof params !== 'object') return undefined;
  const route = `${req.method} ${req.routeOptions.url ?? req.url}`;
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') continue;
    // A control character is in no id or name: the path names nothing, as an unknown id.
    if (textFault(value) || (isIdParam(name) && outOfIdRange(value))) return withStatus(unknownIdError(route, name, value));
  }
  return undefined;
}

export function registerInputGuard(app: FastifyInstance): void {
  // preHandler: after each face has authenticated the caller (an anonymous caller gets that
  // face's 401 first) and before the handler's first query.
  app.addHook('preHandler', (req, _reply, done) => {
    done(checkParams(req) ?? checkQuery(req) ?? (req.body === undefined ? undefined : checkBody(req, req.body, '', false, false)));
  });
}
