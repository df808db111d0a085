// The change-event feed (docs/events.md): server admins read every org's events, org Admins
// their org's, oldest first from a cursor, as long as the retention window keeps them.
import { authorize, authorizeGlobal } from './policy/index.ts';
import type { Ctx } from './context.ts';
import { gone } from './errors.ts';
import type { Principal } from './principal.ts';
import { readCursor, selectEvents, sequenceEvents } from '../store/events.ts';

export interface ChangeEvent {
  /** The cursor: resume after it. */
  id: string;
  type: string;
  timestamp: string;
  orgId: number | null;
  data: unknown;
}

/** The body of an event, as the feed answers it and webhooks post it (Standard Webhooks: type, timestamp, data). */
export function changeEventOf(row: { seq: number; at: string; type: string; org_id: number | null; data: string }): ChangeEvent {
  return { id: String(row.seq), type: row.type, timestamp: row.at, orgId: row.org_id, data: JSON.parse(row.data) };
}

export interface FeedQuery {
  /** Events after this cursor; absent: from the oldest kept. */
  after?: number;
  orgId?: number;
  types?: string[];
  limit: number;
}

export async function readFeed(ctx: Ctx, p: Principal, q: FeedQuery): Promise<{ events: ChangeEvent[]; next: string }> {
  let orgId = q.orgId;
  if (!p.isServerAdmin) {
    orgId ??= p.orgId;
    await authorize(ctx, p, 'orgs:write', orgId);
  } else if (orgId === undefined) {
    authorizeGlobal(p, 'orgs:read');
  }
  // Every event committed before this request is numbered, so the reader sees its own writes.
  await sequenceEvents(ctx.db, ctx.dialect);
  const [pruned, rows] = await Promise.all([readCursor(ctx.db, 'pruned'), selectEvents(ctx.db, { after: q.after ?? 0, orgId, types: q.types, limit: q.limit })]);
  // Events after the cursor were deleted by retention: resuming would silently skip them.
  if (q.after !== undefined && q.after < pruned) {
    throw gone('events.cursor-expired', `Cursor ${q.after} is older than the retention window (events through ${pruned} are gone); start again without "after"`);
  }
  const events = rows.map(changeEventOf);
  const next = events.length ? events[events.length - 1].id : String(q.after ?? pruned);
  return { events, next };
}
