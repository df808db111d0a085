// Org settings no product face writes in full: the OnCall phone-privacy override (and the
// direct-paging flag the OnCall face also exposes). Members read; Admins and server admins write.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../domain/errors.ts';
import { isOncallId } from '../../domain/ids.ts';
import { orgSettings, readOrg, updateOrgSettings, type Org, type OrgRef } from '../../domain/orgs.ts';
import type { FaceDeps } from '../../http/face/deps.ts';
import { ErrorBody } from './schemas.ts';

const tags = ['roster: org settings'];

const Settings = Type.Object({
  phonePrivacyOverride: Type.Boolean({ description: 'OnCall API returns private phone numbers anyway' }),
  manuallyManageDirectPagingIntegrations: Type.Boolean({ description: "OnCall's manually_manage_direct_paging_integrations" }),
});
const SettingsPatch = Type.Partial(Settings, { additionalProperties: false });
const Params = Type.Object({ orgId: Type.String({ description: 'Numeric org id or OnCall public id (O...)' }) });

/** A path org reference: the numeric id, or the OnCall public id. */
function orgRefOf(ref: string): OrgRef {
  if (/^\d{1,15}$/.test(ref)) return Number(ref);
  if (isOncallId(ref, 'O')) return { publicId: ref };
  throw notFound('org.not-found', 'Organization not found');
}

function present(org: Org) {
  const s = orgSettings(org);
  return { phonePrivacyOverride: s.phonePrivacyOverride, manuallyManageDirectPagingIntegrations: s.manuallyManageDirectPagingIntegrations };
}

export const orgSettingsRoutes: FastifyPluginAsyncTypebox<FaceDeps> = async (app, { ctx }) => {
  const responses = { 200: Settings, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.get('/orgs/:orgId/settings', { schema: { summary: "An organization's settings (members and server admins)", tags, params: Params, response: responses } }, async (req) => {
    return present(await readOrg(ctx, req.principal, orgRefOf(req.params.orgId)));
  });

  app.patch(
    '/orgs/:orgId/settings',
    {
      schema: { summary: "Change an organization's settings (org Admins and server admins)", tags, params: Params, body: SettingsPatch, response: responses },
    },
    async (req) => {
      return present(await updateOrgSettings(ctx, req.principal, orgRefOf(req.params.orgId), req.body));
    },
  );
};
