// The audit trail: every change is recorded once, inside the transaction that makes it, with
// who (user, service account or key), through which face, what, before and after.
import { authorize, authorizeGlobal } from './access.ts';
import { now } from './clock.ts';
import type { Ctx, Db } from './context.ts';
import type { Principal } from './principal.ts';

export interface AuditEntry {
  action: string;
  objectType: 'org' | 'user' | 'member' | 'team' | 'team-member' | 'service-account' | 'token' | 'invite' | 'integration' | 'preferences';
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

const actorKind = (a: Actor) => (!a || (a.userId === null && a.serviceAccountId === null) ? 'system' : a.kind);

export async function audit(trx: Db, actor: Actor, e: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({
      at: now(),
      actor_kind: actorKind(actor),
      actor_user_id: actor?.userId ?? null,
      actor_service_account_id: actor?.serviceAccountId ?? null,
      actor_token_id: actor?.tokenId ?? null,
      actor_login: actor?.login ?? 'system',
      face: actor?.via?.face ?? (actor ? 'unknown' : 'system'),
      request_id: actor?.via?.requestId ?? null,
      action: e.action,
      object_type: e.objectType,
      object_id: String(e.objectId),
      org_id: e.orgId ?? null,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    })
    .execute();
}

export interface AuditQuery {
  orgId?: number;
  action?: string;
  objectType?: string;
  objectId?: string;
  actorUserId?: number;
  face?: string;
  /** Keyset paging: events with a smaller id than this. */
  before?: number;
  limit: number;
}

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
  let sel = ctx.db.selectFrom('audit_events').selectAll();
  if (q.orgId !== undefined) sel = sel.where('org_id', '=', q.orgId);
  if (q.action) sel = sel.where('action', '=', q.action);
  if (q.objectType) sel = sel.where('object_type', '=', q.objectType);
  if (q.objectId) sel = sel.where('object_id', '=', q.objectId);
  if (q.actorUserId !== undefined) sel = sel.where('actor_user_id', '=', q.actorUserId);
  if (q.face) sel = sel.where('face', '=', q.face);
  if (q.before !== undefined) sel = sel.where('id', '<', q.before);
  const rows = await sel.orderBy('id', 'desc').limit(q.limit).execute();
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
