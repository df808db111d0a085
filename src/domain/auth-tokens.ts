// Sessions a user can see and end (Grafana's auth tokens): the caller's own, or any user's for a
// server admin. Ending a session deletes it: its cookie names nothing from then on.
import { audit } from './audit.ts';
import { inTransaction, type Ctx } from './context.ts';
import { invalid, notFound } from './errors.ts';
import { authorizeGlobal, targetUser, type UserRef } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { parseUserAgent, type ClientInfo } from './user-agent.ts';
import { deleteSession, deleteUserSessions, findUserSession, listUserSessions } from '../store/sessions.ts';
import { findUserById } from '../store/users.ts';

export interface SessionView extends ClientInfo {
  id: number;
  /** The session this request came with. */
  isActive: boolean;
  clientIp: string;
  createdAt: string;
  seenAt: string;
  authMethod: string;
}

async function existingUser(ctx: Ctx, userId: number): Promise<void> {
  if (!(await findUserById(ctx.db, userId))) throw notFound('user.not-found', 'User not found');
}

export async function listSessions(ctx: Ctx, p: Principal, ref: UserRef): Promise<SessionView[]> {
  const userId = await targetUser(p, ref, 'user.self:read', 'users.authtoken:read');
  await existingUser(ctx, userId);
  const nowMs = Date.now();
  const { idleMs } = ctx.settings.sessions;
  const rows = await listUserSessions(ctx.db, userId);
  return rows
    .filter((s) => Date.parse(s.expires_at) > nowMs && Date.parse(s.seen_at ?? s.created_at) + idleMs > nowMs)
    .map((s) => ({
      id: s.id,
      isActive: p.sessionId === s.id,
      clientIp: s.client_ip ?? '',
      ...parseUserAgent(s.user_agent),
      createdAt: s.created_at,
      seenAt: s.seen_at ?? s.created_at,
      authMethod: s.auth_method,
    }));
}

export async function revokeSession(ctx: Ctx, p: Principal, ref: UserRef, sessionId: number): Promise<void> {
  const userId = await targetUser(p, ref, 'user.self:write', 'users.authtoken:write');
  await existingUser(ctx, userId);
  const session = await findUserSession(ctx.db, userId, sessionId);
  if (!session) throw notFound('session.not-found', 'User auth token not found');
  if (p.sessionId === session.id) throw invalid('session.active', 'Cannot revoke active user auth token');
  await inTransaction(ctx, async (trx) => {
    if (!(await deleteSession(trx, userId, sessionId))) throw notFound('session.not-found', 'User auth token not found');
    await audit(trx, p, { action: 'user.session.revoke', objectType: 'user', objectId: userId, before: { sessionId, clientIp: session.client_ip, createdAt: session.created_at } });
  });
}

/** A server admin ends every session of another user (Grafana's logout from all devices). */
export async function logoutUser(ctx: Ctx, p: Principal, userId: number): Promise<void> {
  authorizeGlobal(p, 'users.logout');
  if (p.userId === userId) throw invalid('session.logout-self', 'You cannot logout yourself');
  await existingUser(ctx, userId);
  await inTransaction(ctx, async (trx) => {
    await deleteUserSessions(trx, userId);
    await audit(trx, p, { action: 'user.logout', objectType: 'user', objectId: userId });
  });
}
