// The audit trail: every change is recorded once, inside the transaction that makes it, with
// who (user, service account or key), through which face, what, before and after.
import { authorize, authorizeGlobal } from './policy/index.ts';
import { now } from './clock.ts';
import type { Ctx, Db } from './context.ts';
import type { Principal } from './principal.ts';
import { insertAuditEvent, selectAuditEvents, type AuditFilter } from '../store/audit-events.ts';
import { recordChange } from './change-events.ts';

export interface AuditEntry {
  action: string;
  objectType:
    | 'org'
    | 'user'
    | 'member'
    | 'team'
    | 'team-member'
    | 'service-account'
    | 'token'
    | 'invite'
    | 'integration'
    | 'preferences'
    | 'sign-in'
    | 'quota'
    | 'role'
    | 'role-assignment'
    | 'resource-permission'
    | 'scim-token'
    | 'webhook';
  objectId: string | number;
  orgId?: number | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Who acts: a principal, or null for the server's own start-up. The CLI passes a principal with
 * no user or service account behind it (src/cli/context.ts), recorded as the system via face 'cli'.
 */
export type Actor = Principal | null;

const actorKind = (a: Actor) => (!a || (a.userId === null && a.serviceAccountId === null && a.kind !== 'scim') ? 'system' : a.kind);

/** Records the change in the trail and, unless it is no domain change, as a change event (change-events.ts). */
export async function audit(trx: Db, actor: Actor, e: AuditEntry): Promise<void> {
  const at = now();
  const kind = actorKind(actor);
  // Issued together: on PostgreSQL the two inserts share a round trip (pipelined-transaction.ts).
  const event = recordChange(trx, at, { kind, userId: actor?.userId ?? null, serviceAccountId: actor?.serviceAccountId ?? null, login: actor?.login ?? 'system' }, e);
  const trail = insertAuditEvent(
    trx,
    at,
    kind,
    actor?.userId ?? null,
    actor?.serviceAccountId ?? null,
    actor?.tokenId ?? null,
    actor?.login ?? 'system',
    actor?.via?.face ?? (actor ? 'unknown' : 'system'),
    actor?.via?.requestId ?? null,
    e.action,
    e.objectType,
    String(e.objectId),
    e.orgId ?? null,
    e.before === undefined ? null : JSON.stringify(e.before),
    e.after === undefined ? null : JSON.stringify(e.after),
  );
  await Promise.all([event, trail]);
}

export type AuditQuery = AuditFilter;

export interface AuditEvent {
  id: number;
  at: string;
  actor: { kind: string; userId: number | null; serviceAccountId: number | null; tokenId: number | null; login: string };
  face: string;
  requestId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  orgId: number | null;
  before: unknown;
  after: unknown;
}

/** Server admins read everything; org admins read their org's events only. Newest first. */
export async function listAudit(ctx: Ctx, p: Principal, q: AuditQuery): Promise<AuditEvent[]> {
  if (!p.isServerAdmin) {
    if (q.orgId === undefined) q.orgId = p.orgId;
    await authorize(ctx, p, 'orgs:write', q.orgId);
  } else if (q.orgId === undefined) {
    authorizeGlobal(p, 'orgs:read');
  }
  const rows = await selectAuditEvents(ctx.db, q);
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: {
      kind: r.actor_kind,
      userId: r.actor_user_id,
      serviceAccountId: r.actor_service_account_id,
      tokenId: r.actor_token_id,
      login: r.actor_login,
    },
    face: r.face,
    requestId: r.request_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    orgId: r.org_id,
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
  }));
}
