// How the PostHog face renders every error it answers: its own, the domain's, validation (DRF's
// messages, validation-errors.ts), malformed requests, 503 and 500.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../../http/face/error-handler.ts';
import type { ErrorRenderer } from '../../http/face/face.ts';
import { PhError, PhRawError, POSTHOG_UNAVAILABLE, rendered, translate } from './errors.ts';
import { posthogValidationError } from './validation-errors.ts';

export const posthogErrors: ErrorRenderer = {
  own: (err) => (err instanceof PhError || err instanceof PhRawError ? rendered(err) : undefined),
  domain: (err) => rendered(translate(err)),
  validation: (err, req) => rendered(posthogValidationError(req, err)),
  request(fault, err, req) {
    if (fault === 'malformed-json') return rendered(new PhError(400, 'invalid_request', 'parse_error', `JSON parse error - ${err.message ?? ''}`.trim()));
    if (fault === 'media-type') {
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        .trim();
      return rendered(new PhError(415, 'invalid_request', 'unsupported_media_type', `Unsupported media type "${type}" in request.`));
    }
    if (fault === 'too-large') return rendered(new PhError(413, 'invalid_request', 'request_too_large', 'Request body is too large.'));
    return rendered(new PhError(err.statusCode ?? 400, 'invalid_request', 'invalid_request', err.message ?? 'Bad request.'));
  },
  unavailable: () => POSTHOG_UNAVAILABLE,
  internal: () => ({ type: 'server_error', code: 'error', detail: 'A server error occurred.', attr: null }),
};

/** For handlers outside the face's error handler (the 404 and 405 of unknown routes). */
export function sendPosthogError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  return sendError(posthogErrors, req, reply, err);
}
