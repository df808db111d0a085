// Where a permission applies, as Grafana's RBAC scopes say it (docs/access-control.md): "" and a
// scope ending in "*" reach every object of their kind in the org; "teams:id:5" one team.
/** The kinds of object a scope may name. */
const KINDS = ['orgs', 'users', 'teams', 'serviceaccounts', 'roles', 'global.users'] as const;

export type ResourceKind = 'teams' | 'serviceaccounts';

/** One object a check is about. */
export interface Resource {
  kind: ResourceKind;
  id: number;
}

export interface Grant {
  action: string;
  scope: string;
}

export const resourceScope = (r: Resource) => `${r.kind}:id:${r.id}`;

const SCOPE = new RegExp(`^(?:|\\*|(?:${KINDS.join('|').replaceAll('.', '\\.')}):(?:\\*|id:(?:\\*|\\d{1,10})|uid:(?:\\*|[\\w-]{1,40})))$`);

/** Whether a scope is one Roster understands (a role naming anything else is refused). */
export function isKnownScope(scope: string): boolean {
  return SCOPE.test(scope);
}

/** A scope that reaches every object of its kind. */
export function isOrgWide(scope: string): boolean {
  return scope === '' || scope.endsWith('*');
}

/** Whether a held scope includes a wanted one: "" and "*" everything, "teams:*" every team scope, otherwise the same scope. */
export function scopeIncludes(held: string, wanted: string): boolean {
  if (held === '' || held === '*' || held === wanted) return true;
  return held.endsWith('*') && wanted !== '' && wanted.startsWith(held.slice(0, -1));
}

/** Whether a grant's scope reaches the object a check names, or, with none, the whole org. */
export function scopeReaches(scope: string, resource?: Resource): boolean {
  return resource ? scopeIncludes(scope, resourceScope(resource)) : isOrgWide(scope);
}
