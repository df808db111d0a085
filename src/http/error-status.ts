// The HTTP status of each domain error kind, where a face has no answer of its own for a code
// (Grafana's per-route overrides and PostHog's DRF bodies are the faces' own tables).
import type { DomainError } from '../domain/errors.ts';

export const STATUS_OF_KIND: Readonly<Record<DomainError['kind'], number>> = {
  'not-found': 404,
  conflict: 409,
  invalid: 400,
  forbidden: 403,
  unauthorized: 401,
  gone: 410,
};
