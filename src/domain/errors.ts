// Typed domain errors. Each carries a stable code; faces map codes to their product's status and body.

export type ErrorKind = 'not-found' | 'conflict' | 'invalid' | 'forbidden' | 'unauthorized' | 'gone';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: string, message = 'Not found', detail?: Record<string, unknown>) => new DomainError('not-found', code, message, detail);
export const conflict = (code: string, message: string, detail?: Record<string, unknown>) => new DomainError('conflict', code, message, detail);
export const invalid = (code: string, message: string, detail?: Record<string, unknown>) => new DomainError('invalid', code, message, detail);
/** A permission the caller lacks; `action` names it (Grafana quotes it in its 403 body). */
export const forbidden = (action: string, message = 'Permission denied', code = 'permission-denied') => new DomainError('forbidden', code, message, { action });
/** What was there is no longer kept (a feed cursor older than the retention window). */
export const gone = (code: string, message: string) => new DomainError('gone', code, message);
export const unauthorized = (code: string, message: string) => new DomainError('unauthorized', code, message);

export function isDomainError(err: unknown, code?: string): err is DomainError {
  return err instanceof DomainError && (code === undefined || err.code === code);
}
