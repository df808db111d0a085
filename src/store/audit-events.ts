// The audit_events table: one row per change, written inside the change's transaction.
import type { Db } from './db.ts';
import { precompiledChange } from './precompiled.ts';

// Every write records one: compiled once (precompiled.ts).
export const insertAuditEvent = precompiledChange(
  (
    db,
    at: string,
    actor_kind: string,
    actor_user_id: number | null,
    actor_service_account_id: number | null,
    actor_token_id: number | null,
    actor_login: string,
    face: string,
    request_id: string | null,
    action: string,
    object_type: string,
    object_id: string,
    org_id: number | null,
    before: string | null,
    after: string | null,
  ) =>
    db.insertInto('audit_events').values({
      at,
      actor_kind,
      actor_user_id,
      actor_service_account_id,
      actor_token_id,
      actor_login,
      face,
      request_id,
      action,
      object_type,
      object_id,
      org_id,
      before,
      after,
    }),
);

export interface AuditFilter {
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

/** Events matching every given filter, newest first. */
export async function selectAuditEvents(db: Db, q: AuditFilter) {
  let sel = db.selectFrom('audit_events').selectAll();
  if (q.orgId !== undefined) sel = sel.where('org_id', '=', q.orgId);
  if (q.action) sel = sel.where('action', '=', q.action);
  if (q.objectType) sel = sel.where('object_type', '=', q.objectType);
  if (q.objectId) sel = sel.where('object_id', '=', q.objectId);
  if (q.actorUserId !== undefined) sel = sel.where('actor_user_id', '=', q.actorUserId);
  if (q.face) sel = sel.where('face', '=', q.face);
  if (q.before !== undefined) sel = sel.where('id', '<', q.before);
  return sel.orderBy('id', 'desc').limit(q.limit).execute();
}
