// Integer ids against the database's range. Every id column is PostgreSQL `integer` (serial) and
// every reference to one too (migrations/0001), so an integer outside [-2^31, 2^31 - 1] can name
// no row on either database. PostgreSQL refuses such a value as a query parameter (it used to
// surface as a 500), so it is answered before any query, as the face answers an id that names
// nothing.
import { invalid, notFound, unauthorized, type DomainError } from '../domain/errors.ts';

export const INT4_MIN = -2147483648;
export const INT4_MAX = 2147483647;

const INTEGER = /^[+-]?\d+$/;

/** True for an integer-shaped string whose value no id column can hold. */
export function outOfIdRange(value: string): boolean {
  if (!INTEGER.test(value)) return false;
  const n = Number(value);
  return !(n >= INT4_MIN && n <= INT4_MAX);
}

/** Path parameters that are free text, where digits are a name and not an id (an org's name, an invite's code). */
const TEXT_PARAMS = new Set(['orgName', 'code', 'roleUID', 'builtinRole', 'role_id']);
/** Path parameters that are numbers but name no row: Grafana's help flag, a bitmask value its route parses. */
const NON_ID_NUMBERS = new Set(['flagId']);

/**
 * Query parameters that carry an integer id (the native audit filters and cursor); paging
 * numbers are not ids and are clamped by each face's own parsing.
 */
export const ID_QUERY_PARAMS: ReadonlySet<string> = new Set(['orgId', 'actorUserId', 'userId', 'teamId', 'before']);

export function isIdParam(name: string): boolean {
  return !TEXT_PARAMS.has(name) && !NON_ID_NUMBERS.has(name);
}

/** Whether a path parameter is a number on the wire (an id, or a value such as a help flag). */
export function isNumberParam(name: string): boolean {
  return !TEXT_PARAMS.has(name);
}

// The domain's own not-found errors for what each Grafana path parameter names: the route's
// `errors` overrides then give the exact answer Grafana gives for that route.
// Grafana answers some unknown ids with an empty list or an idempotent success; those routes
// get the 404 of the resource instead, as no query is made to learn that it is empty.
const GRAFANA: [RegExp, string, () => DomainError][] = [
  [/^\w+ \/api\/access-control\/serviceaccounts\//, 'id', () => notFound('sa.not-found', 'service account not found')],
  [/^\w+ \/api\/access-control\//, 'teamId', () => notFound('team.not-found', 'Team not found')],
  [/^\w+ \/api\/access-control\//, 'roleUID', () => notFound('role.not-found', 'Role not found')],
  [/^\w+ \/api\/access-control\//, 'builtinRole', () => invalid('role.builtin-invalid', 'invalid built-in role')],
  [/^DELETE \/api\/orgs\/:orgId$/, 'orgId', () => notFound('org.not-found', 'Failed to delete organization. ID not found')],
  [/^\w+ \/api\/teams\//, 'userId', () => notFound('team.member-not-found', 'Team member not found')],
  [/^\w+ \/api\/teams\//, 'id', () => notFound('team.not-found', 'Team not found')],
  [/^\w+ \/api\/serviceaccounts\//, 'tokenId', () => notFound('sa.token-not-found', 'Failed to delete service account token')],
  [/^\w+ \/api\/serviceaccounts\//, 'id', () => notFound('sa.not-found', 'service account not found')],
  // Switching to an org the user is not in (or for a user who is nowhere) is a 401 in Grafana.
  [/^\w+ \/api\/user\/using\//, 'id', () => unauthorized('org.not-member', 'Not a valid organization')],
  [/^\w+ \/api\/users\/:id\/using\//, 'id', () => unauthorized('org.not-member', 'Not a valid organization')],
  [/^\w+ \/api\/users\/:id\/using\//, 'orgId', () => unauthorized('org.not-member', 'Not a valid organization')],
  [/^\w+ \/api\/admin\/users\/:id\/quotas/, 'id', () => notFound('user.not-found', 'User not found')],
  [/./, 'orgName', () => notFound('org.not-found', 'Organization not found')],
  [/./, 'orgId', () => notFound('org.not-found', 'Organization not found')],
  [/./, 'userId', () => notFound('user.not-found', 'user not found')],
  [/./, 'id', () => notFound('user.not-found', 'user not found')],
];

const NATIVE: Record<string, () => DomainError> = {
  userId: () => notFound('user.not-found', 'User not found'),
  orgId: () => notFound('org.not-found', 'Organization not found'),
  id: () => notFound('invite.not-found', 'Invite not found'),
  tokenId: () => notFound('scim-token.not-found', 'SCIM token not found'),
  webhookId: () => notFound('webhook.not-found', 'Webhook not found'),
  deliveryId: () => notFound('webhook.delivery-not-found', 'Delivery not found'),
};

/**
 * The answer for path parameter `name` of route `url` (`METHOD /pattern`) holding a value that
 * can name nothing: an out-of-range integer, or text with a control character. Grafana
 * parses ids as int64 (strconv.ParseInt): past that it answers 400 "<name> is invalid", as
 * grafana/params.ts does; inside it, the id names nothing.
 */
export function unknownIdError(route: string, name: string, value: string): DomainError {
  const url = route.slice(route.indexOf(' ') + 1);
  // SCIM ids are uuids: digits name nothing, as an unknown id (api/scim).
  if (url.startsWith('/scim/')) return notFound('scim.not-found', 'Resource not found');
  if (url.startsWith('/api/roster/')) return (NATIVE[name] ?? (() => notFound('not-found', 'Not found')))();
  if (url.startsWith('/api/organizations/:organization_id') && name === 'organization_id') return notFound('org.id-unknown', 'Organization not found.');
  if (url.startsWith('/api/v1/') || url.startsWith('/api/organizations') || url.startsWith('/api/personal_api_keys')) {
    return notFound('not-found', 'Not found.');
  }
  if (INTEGER.test(value) && !Number.isSafeInteger(Number(value))) return invalid('param.invalid', `${name} is invalid`);
  const hit = GRAFANA.find(([path, param]) => param === name && path.test(route));
  return hit ? hit[2]() : notFound('not-found', 'Not found');
}
