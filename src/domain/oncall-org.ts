// The caller's org as the OnCall face shows it, under OnCall's settings permissions
// (docs/compat/oncall.md#routes): members read it, Admins change its settings.
import type { Ctx } from './context.ts';
import { notFound } from './errors.ts';
import { getOrg, type Org } from './orgs.ts';
import { authorize } from './policy/index.ts';
import type { Principal } from './principal.ts';

/**
 * The caller's org, if `publicId` (when given) names it; any other id is "not found". `write`
 * asks for the right to change its settings (DRF checks it before reading the body).
 */
export async function readOncallOrg(ctx: Ctx, p: Principal, publicId?: string, intent: 'read' | 'write' = 'read'): Promise<Org> {
  await authorize(ctx, p, intent === 'write' ? 'grafana-irm-app.other-settings:write' : 'grafana-irm-app.other-settings:read', p.orgId);
  const org = await getOrg(ctx, p.orgId);
  if (publicId !== undefined && org.public_id !== publicId) throw notFound('org.not-found');
  return org;
}
