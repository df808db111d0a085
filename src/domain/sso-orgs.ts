// Which orgs a single sign-on puts the user in, with which role: Grafana's org mapping
// (`group:org:role`), merged with the role expression's role; docs/sso.md.
import type { OrgMappingEntry } from '../config-oidc.ts';
import type { Role } from '../role-names.ts';
import type { Db } from './context.ts';
import { roleIncludes } from './policy/index.ts';
import { allOrgIds, findOrgBy, findOrgById } from '../store/orgs.ts';

/** The higher of two roles (Admin > Editor > Viewer > None). */
const topRole = (a: Role, b: Role): Role => (roleIncludes(a, b) ? a : b);

async function orgIdsOf(db: Db, org: OrgMappingEntry['org']): Promise<number[]> {
  if (org.kind === 'all') return allOrgIds(db);
  // An org named in the mapping that does not exist maps nobody (it may be created later).
  const row = org.kind === 'id' ? await findOrgById(db, org.id) : await findOrgBy(db, 'name', org.name);
  return row ? [row.id] : [];
}

/**
 * Org id -> role, or undefined when the sign-in must be refused (strict, and no role found).
 * Without an org mapping, or when no entry matches the user's groups: the auto-assign org (1)
 * with the expression's role, else the auto-assign role. With matching entries: those orgs,
 * each with the higher of the mapped role and the expression's role.
 */
export async function mapOrgRoles(db: Db, mapping: OrgMappingEntry[], groups: string[], direct: Role | '', opts: { strict: boolean; autoAssignRole: Role }): Promise<Map<number, Role> | undefined> {
  const mapped = new Map<number, Role>();
  for (const entry of mapping) {
    if (entry.group !== '*' && !groups.includes(entry.group)) continue;
    for (const orgId of await orgIdsOf(db, entry.org)) {
      const had = mapped.get(orgId);
      mapped.set(orgId, had ? topRole(had, entry.role) : entry.role);
    }
  }
  if (mapped.size === 0) {
    // Strict: a configured mapping that matched nothing, or no mapping and no role, refuses.
    if (opts.strict && (mapping.length > 0 || !direct)) return undefined;
    return new Map([[1, direct || opts.autoAssignRole]]);
  }
  if (direct) for (const [orgId, role] of mapped) mapped.set(orgId, topRole(direct, role));
  return mapped;
}
