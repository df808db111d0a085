// An operationId for every operation. Grafana's routes keep Grafana's own (grafana-operation-ids.ts);
// every other one is named the way drf-spectacular names a Django REST Framework API's operations
// (PostHog and OnCall are DRF services): the face, the path's words, then the action
// (`posthog_organizations_members_list`, `oncall_users_retrieve`, `roster_orgs_settings_partial_update`).
import { GRAFANA_OPERATION_IDS } from './grafana-operation-ids.ts';
import type { Json, Operation } from './operations.ts';

/** `GET /orgs/{}/users`: a path without its base and parameter names, to match Grafana's spelling. */
const shape = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`;
const GRAFANA_BY_SHAPE = new Map(
  Object.entries(GRAFANA_OPERATION_IDS).map(([route, id]) => {
    const space = route.indexOf(' ');
    return [shape(route.slice(0, space), `/api${route.slice(space + 1)}`), id];
  }),
);

const ACTIONS: Record<string, string> = { post: 'create', put: 'update', patch: 'partial_update', delete: 'destroy' };

/** A GET answering a list (an array, a page of `results`, or SCIM's `Resources`) is a `list`, else a `retrieve`. */
function isList(op: Json): boolean {
  const success = op.responses?.['200']?.content?.['application/json']?.schema;
  return success?.type === 'array' || success?.properties?.results?.type === 'array' || success?.properties?.Resources?.type === 'array';
}

function drfStyleId(o: Operation): string {
  const group = o.face ?? o.tag;
  const words = o.path
    .split('/')
    .filter((s) => s && s !== 'api' && !/^v\d+$/.test(s) && !s.startsWith('{'))
    .map((s) =>
      s
        .replace(/^@/, '')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .toLowerCase(),
    );
  // The native API's paths start with its own name (/api/roster/v1/...).
  if (words[0] === group) words.shift();
  const action = o.method === 'get' ? (isList(o.op) ? 'list' : 'retrieve') : (ACTIONS[o.method] ?? o.method);
  return [group, ...words, action].join('_');
}

export function operationIdOf(o: Operation): string {
  return (o.face === 'grafana' && GRAFANA_BY_SHAPE.get(shape(o.method, o.path))) || drfStyleId(o);
}
