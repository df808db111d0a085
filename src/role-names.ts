// Roster's org roles by name. The settings (config.ts) and the policy (domain/policy/) both read
// them, so the settings need not depend on the domain.

export const ROLES = ['Admin', 'Editor', 'Viewer', 'None'] as const;
export type Role = (typeof ROLES)[number];

/** Grafana's role validation is case-sensitive: "admin" is not a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
