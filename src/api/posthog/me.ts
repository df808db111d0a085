// /api/users/@me/: the caller, their current org and all their orgs; PATCH switches the current
// org (docs/compat/posthog.md#current-user).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callerLevel } from '../../domain/posthog-members.ts';
import type { Principal } from '../../domain/principal.ts';
import { activeMemberCount } from '../../domain/posthog-member-reads.ts';
import { findCurrentOrg, listMemberOrgs, switchOwnOrg } from '../../domain/posthog-orgs.ts';
import { readUser } from '../../domain/users.ts';
import { pendingEmail } from '../../domain/email-verification.ts';
import { phInvalid } from './errors.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { validBody } from './request-body.ts';
import { organization, organizationBasic, phTime } from './presenters.ts';
import * as S from './schemas.ts';

const tags = ['posthog: users'];

export const meRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  const present = async (p: Principal) => {
    const user = await readUser(ctx, p, 'self');
    const current = await findCurrentOrg(ctx, p);
    const { orgs } = await listMemberOrgs(ctx, { ...p, kind: 'user' }, { limit: 1000, offset: 0 });
    return {
      date_joined: phTime(user.created_at),
      uuid: user.uuid,
      distinct_id: user.uid,
      first_name: user.name,
      last_name: '',
      email: user.email,
      pending_email: await pendingEmail(ctx, p),
      is_email_verified: !!user.email_verified,
      notification_settings: {},
      anonymize_data: false,
      toolbar_mode: null,
      has_password: user.password_hash !== null,
      id: user.id,
      is_staff: !!user.is_admin,
      is_impersonated: false,
      team: null,
      organization: current ? organization(current, await callerLevel(ctx, p, current.id), await activeMemberCount(ctx, p, current.id)) : null,
      organizations: orgs.map((o) => organizationBasic(o, o.level)),
      is_2fa_enabled: false,
      has_social_auth: false,
      has_sso_enforcement: false,
      theme_mode: user.theme || null,
      role_at_organization: null,
    };
  };

  app.get('/api/users/@me', { schema: { summary: 'The signed-in user with their organizations', tags, response: { 200: S.Me } } }, async (req) => {
    return present(req.principal);
  });

  app.patch(
    '/api/users/@me',
    {
      schema: {
        summary: "Switch the signed-in user's current organization (set_current_organization)",
        tags,
        body: S.MeWrite,
        response: { 200: S.Me },
      },
    },
    async (req) => {
      const p = req.principal;
      let target: unknown;
      const switched = await switchOwnOrg(ctx, p, () => (target = validBody(req).set_current_organization));
      if (switched === 'unknown') throw phInvalid('does_not_exist', `Object with id=${String(target)} does not exist.`, 'set_current_organization');
      if (switched === 'unchanged') return present(p);
      // The request's principal still names the old org; present the switched one.
      return present({ ...p, orgId: switched.id, role: switched.level === 1 ? 'Viewer' : 'Admin' });
    },
  );
};
