// GET /api/users/@me/: the caller, their current org and all their orgs (posthog.md §5.6).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkKeyAccess } from '../../domain/personal-keys.ts';
import { findOrg } from '../../domain/orgs.ts';
import { callerLevel } from '../../domain/posthog-levels.ts';
import { activeMemberCount, currentOrgId, listMemberOrgs } from '../../domain/posthog-orgs.ts';
import { getUser } from '../../domain/users.ts';
import { phForbidden } from './errors.ts';
import type { PosthogOptions } from './plugin.ts';
import { organization, organizationBasic, phTime } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['posthog: users'];

export const meRoutes: FastifyPluginAsyncTypebox<PosthogOptions> = async (app, { ctx }) => {
  app.get('/api/users/@me', { schema: { summary: 'The signed-in user with their organizations', tags, response: { 200: S.Me } } }, async (req) => {
    const p = req.principal;
    checkKeyAccess(p, { scope: 'user:read' });
    if (p.userId === null) throw phForbidden();
    const user = await getUser(ctx, p.userId);
    const currentId = await currentOrgId(ctx, p);
    const current = currentId === null ? undefined : await findOrg(ctx.db, currentId);
    const { orgs } = await listMemberOrgs(ctx, { ...p, kind: 'user' }, { limit: 1000, offset: 0 });
    return {
      date_joined: phTime(user.created_at),
      uuid: user.uuid,
      distinct_id: user.uid,
      first_name: user.name,
      last_name: '',
      email: user.email,
      pending_email: null,
      is_email_verified: null,
      notification_settings: {},
      anonymize_data: false,
      toolbar_mode: null,
      has_password: user.password_hash !== null,
      id: user.id,
      is_staff: !!user.is_admin,
      is_impersonated: false,
      team: null,
      organization: current ? organization(current, await callerLevel(ctx, p, current.id), await activeMemberCount(ctx, current.id)) : null,
      organizations: orgs.map((o) => organizationBasic(o, o.level)),
      is_2fa_enabled: false,
      has_social_auth: false,
      has_sso_enforcement: false,
      theme_mode: user.theme || null,
      role_at_organization: null,
    };
  });
};
