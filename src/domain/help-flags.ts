// Grafana's helpFlags1: a bitmask on the user of the help hints they dismissed
// (PUT /api/user/helpflags/:id sets the bits of id, GET /api/user/helpflags/clear empties it).
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, type Ctx } from './context.ts';
import { invalid, notFound } from './errors.ts';
import { requireSelf } from './policy/index.ts';
import type { Principal } from './principal.ts';
import { findUserById, mergeHelpFlags } from '../store/users.ts';

/**
 * The largest flag value taken: the column is a 32-bit integer on PostgreSQL, and JavaScript's
 * bitwise operators work on 32 bits. Grafana's own flags are small powers of two.
 */
export const MAX_HELP_FLAG = 0x7fffffff;

/** Grafana parses the id with strconv.ParseInt: anything else is 400 "id is invalid". */
export function parseHelpFlag(raw: string): number {
  if (!/^\+?\d+$/.test(raw)) throw invalid('param.invalid', 'id is invalid');
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n > MAX_HELP_FLAG) throw invalid('param.invalid', 'id is invalid');
  return n;
}

/**
 * Sets the bits of `flag` (clear: empties the mask instead); answers the new mask. A mask that
 * would not change is not written (nor audited): setting a flag already set is a no-op.
 */
export async function changeHelpFlags(ctx: Ctx, p: Principal, flag: number, clear = false): Promise<number> {
  const userId = requireSelf(p, 'user.self:write');
  return inTransaction(ctx, async (trx) => {
    const current = await findUserById(trx, userId);
    if (!current) throw notFound('user.not-found', 'user not found');
    if ((clear ? 0 : current.help_flags1 | flag) === current.help_flags1) return current.help_flags1;
    const mask = await mergeHelpFlags(trx, userId, flag, clear, now());
    if (mask === undefined) throw notFound('user.not-found', 'user not found');
    await audit(trx, p, { action: clear ? 'user.help-flags.clear' : 'user.help-flags.set', objectType: 'user', objectId: userId, after: { helpFlags1: mask } });
    return mask;
  });
}
