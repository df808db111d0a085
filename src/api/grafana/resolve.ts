// Grafana's path resolvers: numeric ids as-is, otherwise a user uid; org ids checked by RBAC.
import type { Ctx } from '../../domain/context.ts';
import { forbidden, notFound } from '../../domain/errors.ts';
import { findUserByUid } from '../../domain/users.ts';

export async function resolveUserId(ctx: Ctx, value: string): Promise<number> {
  if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  const user = await findUserByUid(ctx, value);
  if (!user) throw notFound('user.not-found', 'User not found');
  return user.id;
}

/** The RBAC middleware denies a non-numeric or zero org id before the handler runs. */
export function pathOrgId(value: string): number {
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n === 0) throw forbidden('');
  return n;
}
