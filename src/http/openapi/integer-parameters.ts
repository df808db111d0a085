// Integer types for the parameters that are numbers on the wire. Routes read their parameters as
// strings (each face parses and answers a malformed one in its own words), so the generated
// document says "string"; clients and the reference page should see the integer they must send.
import { ID_QUERY_PARAMS, isNumberParam } from '../id-range.ts';
import type { Json, Operation } from './operations.ts';

/** Paging numbers: Grafana's page/perpage/limit, OnCall's page/perpage, PostHog's limit/offset. */
const PAGING = new Set(['page', 'perpage', 'limit', 'offset']);

/**
 * Path parameters are integer ids on the Grafana face only: OnCall and PostHog name objects by
 * public id or uuid, and the native API takes a numeric id or an OnCall public id.
 */
function isInteger(o: Operation, param: Json): boolean {
  if (param.in === 'query') return ID_QUERY_PARAMS.has(param.name) || PAGING.has(param.name);
  if (param.in === 'path') return o.face === 'grafana' && isNumberParam(param.name);
  return false;
}

export function typeIntegerParameters(o: Operation): void {
  for (const param of (o.op.parameters ?? []) as Json[]) {
    if (!isInteger(o, param) || param.schema?.type === 'integer') continue;
    param.schema = { type: 'integer', ...(o.face === 'grafana' ? { format: 'int64' } : {}) };
  }
}
