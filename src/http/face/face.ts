// What a face declares once: the credentials it accepts, how it renders an error, an
// authentication failure and a throttled request, and how its errors are documented. The kit
// (register.ts) supplies from it the admission hook, the error handler and the error documentation.
import type { FastifyError, FastifyRequest } from 'fastify';
import type { DomainError } from '../../domain/errors.ts';
import type { AuthFailure, AuthOptions } from '../auth.ts';
import type { ErrorDocs } from './error-docs.ts';

/** An answer: status, body and any headers it needs. */
export interface Rendered {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A request Fastify refused before its handler ran. */
export type RequestFault = 'malformed-json' | 'media-type' | 'too-large' | 'bad-request';

/** A route schema failure, as Fastify's validator reports it. */
export type ValidationError = FastifyError & { validation: NonNullable<FastifyError['validation']> };

export interface ErrorRenderer {
  /** Errors the face's own code throws with their answer decided (DRF's, PostHog's); undefined for others. */
  own?(err: unknown, req: FastifyRequest): Rendered | undefined;
  /** A domain error: its status (http/error-status.ts where the face has no table of its own) and body. */
  domain(err: DomainError, req: FastifyRequest): Rendered;
  /** A request that failed its route's schema. */
  validation(err: ValidationError, req: FastifyRequest): Rendered;
  /** A request refused before its handler (`err` is Fastify's, with its statusCode). */
  request(fault: RequestFault, err: FastifyError, req: FastifyRequest): Rendered;
  /**
   * The body of the 503 answered while the database is unavailable (the kit sets status and
   * Retry-After); also what the port answers before the app is ready (http/holding.ts).
   */
  unavailable(requestId: string): unknown;
  /** The body of a 500 (the kit logs the error). */
  internal(req: FastifyRequest): unknown;
}

export interface FaceAdmission {
  /** The credential kinds the face accepts. */
  credentials: AuthOptions;
  /**
   * When callers are admitted: 'request' (on arrival, the default) or 'body' (once the body is
   * parsed, for a face that reads a credential from it).
   */
  after?: 'request' | 'body';
  /** Requests served without credentials (public routes, unknown paths answered 404 by anyone). */
  open?(req: FastifyRequest): boolean;
  /** Runs before authentication (e.g. a key sent in the body becomes the Authorization header). */
  prepare?(req: FastifyRequest): void;
  authFailure(failure: AuthFailure, req: FastifyRequest): Rendered;
  throttled(retryAfterSeconds: number, req: FastifyRequest): Rendered;
}

export interface Face {
  /** Names the face in the audit trail (principal.via.face). */
  name: string;
  admission: FaceAdmission;
  errors: ErrorRenderer;
  /** The face's error bodies in the OpenAPI document. */
  errorDocs: ErrorDocs;
}
