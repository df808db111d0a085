// Names for the audit trail's objects: "member carol" instead of "member 2:3". Member and team
// ids are looked up in the org's current members and teams; other objects carry their name in
// the event itself. Whatever cannot be named (a removed member) keeps its id.
import { api } from '../api.ts';
import type { OrgUser, Paged, Team } from '../types.ts';
import type { AuditEvent } from '../types-more.ts';

export interface OrgNames {
  users: Map<number, string>;
  teams: Map<number, string>;
}

export async function loadOrgNames(orgId: number): Promise<OrgNames> {
  // Teams are read by members only: a server admin outside the org gets ids for teams.
  const [members, teams] = await Promise.all([
    api<OrgUser[]>(`/api/orgs/${orgId}/users`).catch(() => [] as OrgUser[]),
    api<Paged & { teams: Team[] }>('/api/teams/search?perpage=1000', { orgId }).then(
      (p) => p.teams,
      () => [] as Team[],
    ),
  ]);
  return { users: new Map(members.map((m) => [m.userId, m.login])), teams: new Map(teams.map((t) => [t.id, t.name])) };
}

const nameIn = (v: unknown): string | undefined => {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as { name?: unknown; login?: unknown; kind?: unknown; label?: unknown };
  for (const x of [o.name, o.label, o.login, o.kind]) if (typeof x === 'string' && x) return x;
  return undefined;
};

/** A readable name of the event's object, or undefined to show its id. */
export function objectName(e: AuditEvent, names: OrgNames | undefined): string | undefined {
  const [a, b] = e.objectId.split(':').map(Number);
  if (e.objectType === 'member' && b) return names?.users.get(b);
  if (e.objectType === 'team-member' && b) {
    const user = names?.users.get(b);
    const team = names?.teams.get(a);
    return user && team ? `${user} in ${team}` : undefined;
  }
  if (e.objectType === 'team') return nameIn(e.after) ?? nameIn(e.before) ?? names?.teams.get(a);
  return nameIn(e.after) ?? nameIn(e.before);
}
