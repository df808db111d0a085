// Org-level integrations (PostHog's OrganizationIntegration, e.g. a Vercel installation): created
// by Roster's native API in place of PostHog's install flows, read and removed through the
// PostHog face. `sensitive_config` is stored but never returned.
import { audit } from './audit.ts';
import { authorize, levelOf } from './policy/index.ts';
import { orgIdOf, type OrgRef } from './orgs.ts';
import { now } from './clock.ts';
import { inTransaction, type Ctx } from './context.ts';
import { conflict, forbidden, invalid, notFound } from './errors.ts';
import { UUID_PATTERN, uuidv7 } from './ids.ts';
import { getMembership } from './members.ts';
import type { Principal } from './principal.ts';
import { isUniqueViolation } from '../store/errors.ts';
import type { IntegrationRow } from '../store/schema.ts';
import { limitLength } from './limits.ts';
import * as integrationsStore from '../store/integrations.ts';
import { findTeamId } from '../store/teams.ts';

export interface Integration {
  id: string;
  orgId: number;
  kind: string;
  integrationId: string | null;
  config: Record<string, unknown>;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface EnvironmentMapping {
  production: number;
  preview?: number;
  development?: number;
}

const parseObject = (json: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
};

function toIntegration(row: IntegrationRow): Integration {
  return {
    id: row.id,
    orgId: row.org_id,
    kind: row.kind,
    integrationId: row.integration_id,
    config: parseObject(row.config),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function memberLevel(ctx: Ctx, p: Principal, orgId: number): Promise<number> {
  const m = p.userId === null ? undefined : await getMembership(ctx, orgId, p.userId);
  if (!m) throw forbidden('integrations', 'You do not have permission to perform this action.', 'integration.not-member');
  return levelOf(m);
}

async function requireAdmin(ctx: Ctx, p: Principal, orgId: number): Promise<void> {
  if ((await memberLevel(ctx, p, orgId)) < 8) {
    throw forbidden('integrations', 'Your organization access level is insufficient.', 'posthog.level');
  }
}

async function findIntegration(ctx: Ctx, orgId: number, id: string): Promise<Integration> {
  if (!UUID_PATTERN.test(id)) throw notFound('integration.not-found', 'Not found.');
  const row = await integrationsStore.findIntegrationRow(ctx.db, orgId, id.toLowerCase());
  if (!row) throw notFound('integration.not-found', 'Not found.');
  return toIntegration(row);
}

export async function listIntegrations(ctx: Ctx, p: Principal, orgId: number, page: { limit: number; offset: number }) {
  await memberLevel(ctx, p, orgId);
  const { total, rows } = await integrationsStore.selectIntegrations(ctx.db, orgId, page);
  return { total, integrations: rows.map(toIntegration) };
}

export async function getIntegration(ctx: Ctx, p: Principal, orgId: number, id: string): Promise<Integration> {
  await memberLevel(ctx, p, orgId);
  return findIntegration(ctx, orgId, id);
}

/** Admins disconnect an integration. */
export async function deleteIntegration(ctx: Ctx, p: Principal, orgId: number, id: string): Promise<void> {
  await requireAdmin(ctx, p, orgId);
  const integration = await findIntegration(ctx, orgId, id);
  await inTransaction(ctx, async (trx) => {
    await integrationsStore.deleteIntegrationRow(trx, orgId, integration.id);
    await audit(trx, p, { action: 'integration.delete', objectType: 'integration', objectId: integration.id, orgId, before: { kind: integration.kind, config: integration.config } });
  });
}

export interface NewIntegration {
  kind: string;
  integrationId?: string | null;
  config?: Record<string, unknown>;
  sensitiveConfig?: Record<string, unknown>;
}

/** Org admins (and server admins) record an installation. One per (org, kind, external id). */
export async function createIntegration(ctx: Ctx, p: Principal, ref: OrgRef, input: NewIntegration): Promise<Integration> {
  const orgId = await orgIdOf(ctx, ref);
  await authorize(ctx, p, 'orgs:write', orgId);
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(input.kind)) {
    throw invalid('integration.kind', 'kind must be 1-64 lowercase letters, digits, "_" or "-"', { attr: 'kind' });
  }
  limitLength('integration.integrationId', input.integrationId, 'integrationId');
  limitLength('integration.config', JSON.stringify(input.config ?? {}), 'config');
  const ts = now();
  try {
    const row = await inTransaction(ctx, async (trx) => {
      const created = await integrationsStore.insertIntegration(trx, {
        id: uuidv7(),
        org_id: orgId,
        kind: input.kind,
        integration_id: input.integrationId ?? null,
        config: JSON.stringify(input.config ?? {}),
        sensitive_config: JSON.stringify(input.sensitiveConfig ?? {}),
        created_by: p.userId,
        created_at: ts,
        updated_at: ts,
      });
      // The sensitive part of the config is never written to the audit trail.
      await audit(trx, p, {
        action: 'integration.create',
        objectType: 'integration',
        objectId: created.id,
        orgId,
        after: { kind: created.kind, integrationId: created.integration_id, config: input.config ?? {} },
      });
      return created;
    });
    return toIntegration(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('integration.exists', 'This organization already has that integration');
    throw err;
  }
}

/** The checks before a mapping's body is read: an admin, an integration of this org, a connectable one. */
export async function mappableIntegration(ctx: Ctx, p: Principal, orgId: number, id: string): Promise<Integration> {
  await requireAdmin(ctx, p, orgId);
  const integration = await findIntegration(ctx, orgId, id);
  if (integration.config.type !== 'connectable') {
    throw invalid('integration.not-connectable', 'Environment mapping is only supported for connectable integrations.');
  }
  return integration;
}

/**
 * Maps the external system's environments to projects of this org (PostHog's Vercel connect flow).
 * Only "connectable" integrations have a mapping; missing preview/development default to
 * production. Roster's teams stand in for PostHog's projects.
 */
export async function setEnvironmentMapping(ctx: Ctx, p: Principal, orgId: number, id: string, mapping: EnvironmentMapping): Promise<Integration> {
  const integration = await mappableIntegration(ctx, p, orgId, id);
  const full = { production: mapping.production, preview: mapping.preview ?? mapping.production, development: mapping.development ?? mapping.production };
  for (const projectId of new Set([full.production, full.preview, full.development])) {
    // ids beyond a 32-bit key cannot exist (and PostgreSQL would refuse to compare them)
    const inRange = Number.isSafeInteger(projectId) && projectId > 0 && projectId <= 2147483647;
    const team = !inRange ? undefined : await findTeamId(ctx.db, orgId, projectId);
    if (!team) throw invalid('integration.foreign-project', `Project ${projectId} does not belong to this organization.`, { projectId });
  }
  const config = { ...integration.config, environment_mapping: full };
  await inTransaction(ctx, async (trx) => {
    await integrationsStore.updateIntegrationConfig(trx, orgId, integration.id, JSON.stringify(config), now());
    await audit(trx, p, {
      action: 'integration.environment-mapping.update',
      objectType: 'integration',
      objectId: integration.id,
      orgId,
      before: integration.config.environment_mapping ?? null,
      after: full,
    });
  });
  return findIntegration(ctx, orgId, integration.id);
}
