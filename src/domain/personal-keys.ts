// PostHog personal API keys: user-owned tokens (kind 'pak') with scopes and an optional list of
// orgs they may reach. Only a keyed hash is stored; the value is returned once, on create and roll.
import { audit } from './audit.ts';
import { now } from './clock.ts';
import { inTransaction, type Ctx } from './context.ts';
import { forbidden, invalid, notFound } from './errors.ts';
import { UUID_PATTERN } from './ids.ts';
import type { Principal } from './principal.ts';
import { newPersonalApiKey } from './secrets.ts';
import type { TokenRow } from '../store/schema.ts';
import { limitLength } from './limits.ts';
import { checkKeyManagement } from './policy/index.ts';
import { memberOrgUuidsAmong } from '../store/member-orgs.ts';
import * as tokensStore from '../store/tokens.ts';

export const MAX_KEYS_PER_USER = 10;

/** Scope objects a key may name (PostHog's scope objects without its internal-only ones; docs/compat/posthog.md#scopes). */
export const SCOPE_OBJECTS = new Set(
  (
    'action access_control account activity_log agent_application alert annotation approvals batch_export batch_import ' +
    'business_knowledge cohort comment conversation customer_analytics customer_journey customer_profile_config dashboard ' +
    'event_filter dashboard_template dataset desktop_recording early_access_feature endpoint error_tracking evaluation element ' +
    'event_definition experiment experiment_saved_metric export external_data_schema external_data_source feature_flag ' +
    'file_system file_system_shortcut group health_issue heatmap hog_flow hog_function insight insight_variable integration ' +
    'legal_document link live_debugger ai_gateway llm_analytics llm_gateway llm_prompt llm_provider_key llm_skill logs ' +
    'marketing_analytics metrics notebook organization organization_integration organization_member person persisted_folder ' +
    'plugin product_tour project property_definition query replay_scanner revenue_analytics session_recording ' +
    'session_recording_playlist sharing_configuration signal_scout streamlit_app subscription survey tagger ticket task ' +
    'tracing uploaded_media usage_metric user user_interview visual_review warehouse_objects warehouse_table warehouse_view ' +
    'web_analytics webhook wizard_session'
  ).split(' '),
);

export const KEY_MESSAGES = {
  tooMany: `You can only have ${MAX_KEYS_PER_USER} personal API keys. Remove an existing key before creating a new one.`,
  orgMembership: 'You must be a member of all organizations that you are scoping the key to.',
  teamMembership: 'You must be a member of all teams that you are scoping the key to.',
  badOrgUuid: 'Invalid organization UUID',
} as const;

export interface PersonalKey {
  id: number;
  label: string;
  mask: string;
  userId: number;
  scopes: string[];
  scopedOrgs: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  lastRolledAt: string | null;
}

const parseList = (json: string | null): string[] | null => {
  if (json === null) return null;
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.map(String) : null;
  } catch {
    return null;
  }
};

function toKey(row: TokenRow): PersonalKey {
  return {
    id: row.id,
    label: row.name,
    mask: row.mask,
    userId: row.user_id!,
    scopes: parseList(row.scopes) ?? [],
    scopedOrgs: parseList(row.scoped_orgs),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    lastRolledAt: row.last_rolled_at,
  };
}

/** PostHog's mask_value: first 4 + "..." + last 4; short values are all stars. */
export function maskKey(value: string): string {
  return value.length < 16 ? '********' : `${value.slice(0, 4)}...${value.slice(-4)}`;
}

function ownerOf(p: Principal): number {
  if (p.userId === null) throw forbidden('personal-keys', 'You do not have permission to perform this action.');
  return p.userId;
}

/**
 * PostHog takes an empty list as a legacy key with full access; Roster refuses it, so a key
 * always says what it may do (an empty list reaching the API by mistake must not grant
 * everything).
 */
export function validateScopes(scopes: string[]): void {
  if (!scopes.length) throw invalid('pak.no-scopes', 'This list may not be empty.', { attr: 'scopes' });
  for (const s of scopes) {
    if (s === '*') continue;
    const [object, action, ...rest] = s.split(':');
    if (rest.length || !SCOPE_OBJECTS.has(object) || (action !== 'read' && action !== 'write')) {
      throw invalid('pak.scope', `Invalid scope: ${s}`, { attr: 'scopes' });
    }
  }
}

async function validateScopedOrgs(ctx: Ctx, userId: number, uuids: string[]): Promise<void> {
  for (const uuid of uuids) {
    if (!UUID_PATTERN.test(uuid)) throw invalid('pak.org-uuid', KEY_MESSAGES.badOrgUuid, { attr: 'scoped_organizations' });
  }
  if (!uuids.length) return;
  const have = new Set(
    await memberOrgUuidsAmong(
      ctx.db,
      userId,
      uuids.map((u) => u.toLowerCase()),
    ),
  );
  if (uuids.some((u) => !have.has(u.toLowerCase()))) {
    throw invalid('pak.org-membership', KEY_MESSAGES.orgMembership, { attr: 'scoped_organizations' });
  }
}

/** Roster has no PostHog projects, so a key cannot be limited to any. */
function validateScopedTeams(teams: number[]): void {
  if (teams.length) throw invalid('pak.team-membership', KEY_MESSAGES.teamMembership, { attr: 'scoped_teams' });
}

/** A key's id, or a function giving it once the caller may manage keys (PostHog refuses a key before it reads the id). */
export type KeyRef = number | (() => number);
const idOf = (ref: KeyRef) => (typeof ref === 'number' ? ref : ref());
const valueOf = <T>(input: T | (() => T)) => (typeof input === 'function' ? (input as () => T)() : input);

export async function listKeys(ctx: Ctx, p: Principal): Promise<PersonalKey[]> {
  checkKeyManagement(p);
  const rows = await tokensStore.personalKeysOf(ctx.db, ownerOf(p));
  return rows.map(toKey);
}

/** One of the caller's keys; with a key, only that key itself. */
export async function getKey(ctx: Ctx, p: Principal, id: number): Promise<PersonalKey> {
  checkKeyManagement(p, id);
  if (!Number.isSafeInteger(id) || id < 1 || id > 2147483647) throw notFound('pak.not-found', 'Not found.');
  const row = await tokensStore.findPersonalKey(ctx.db, ownerOf(p), id);
  if (!row) throw notFound('pak.not-found', 'Not found.');
  return toKey(row);
}

export interface KeyInput {
  label: string;
  scopes: string[];
  scopedOrgs: string[];
  scopedTeams: number[];
}

/** A new key; `input` given as a function is read once the caller may manage keys. */
export async function createKey(ctx: Ctx, p: Principal, given: KeyInput | (() => KeyInput)): Promise<{ key: PersonalKey; value: string }> {
  checkKeyManagement(p);
  const input = valueOf(given);
  const userId = ownerOf(p);
  limitLength('key.label', input.label, 'label');
  validateScopes(input.scopes);
  validateScopedTeams(input.scopedTeams);
  await validateScopedOrgs(ctx, userId, input.scopedOrgs);
  return inTransaction(ctx, async (trx) => {
    if ((await tokensStore.countPersonalKeys(trx, userId)) >= MAX_KEYS_PER_USER) throw invalid('pak.too-many', KEY_MESSAGES.tooMany);
    const value = newPersonalApiKey();
    const row = await tokensStore.insertToken(trx, {
      kind: 'pak',
      hash: ctx.hasher.hash(value),
      org_id: null,
      service_account_id: null,
      user_id: userId,
      name: input.label,
      mask: maskKey(value),
      scopes: JSON.stringify(input.scopes),
      scoped_orgs: JSON.stringify(input.scopedOrgs.map((u) => u.toLowerCase())),
      created_at: now(),
      expires_at: null,
      last_used_at: null,
      last_rolled_at: null,
      revoked_at: null,
    });
    await audit(trx, p, { action: 'token.create', objectType: 'token', objectId: row.id, after: { kind: 'pak', label: input.label, scopes: input.scopes, scopedOrgs: input.scopedOrgs } });
    return { key: toKey(row), value };
  });
}

/** Changes a key's label, scopes or orgs; the patch is read once the key is found (PostHog's order). */
export async function updateKey(ctx: Ctx, p: Principal, ref: KeyRef, readPatch: () => Partial<KeyInput>): Promise<PersonalKey> {
  checkKeyManagement(p);
  const id = idOf(ref);
  const userId = ownerOf(p);
  await getKey(ctx, p, id);
  const patch = readPatch();
  limitLength('key.label', patch.label, 'label');
  if (patch.scopes !== undefined) validateScopes(patch.scopes);
  if (patch.scopedTeams) validateScopedTeams(patch.scopedTeams);
  if (patch.scopedOrgs) await validateScopedOrgs(ctx, userId, patch.scopedOrgs);
  const set: { name?: string; scopes?: string; scoped_orgs?: string } = {};
  if (patch.label !== undefined) set.name = patch.label;
  if (patch.scopes) set.scopes = JSON.stringify(patch.scopes);
  if (patch.scopedOrgs) set.scoped_orgs = JSON.stringify(patch.scopedOrgs.map((u) => u.toLowerCase()));
  if (Object.keys(set).length) {
    await inTransaction(ctx, async (trx) => {
      await tokensStore.updatePersonalKey(trx, userId, id, set);
      await audit(trx, p, { action: 'token.update', objectType: 'token', objectId: id, after: { kind: 'pak', label: patch.label, scopes: patch.scopes, scopedOrgs: patch.scopedOrgs } });
    });
  }
  return getKey(ctx, p, id);
}

/** A new secret for the same key: the old value stops working at once. */
export async function rollKey(ctx: Ctx, p: Principal, ref: KeyRef): Promise<{ key: PersonalKey; value: string }> {
  checkKeyManagement(p);
  const id = idOf(ref);
  const userId = ownerOf(p);
  await getKey(ctx, p, id);
  const value = newPersonalApiKey();
  await inTransaction(ctx, async (trx) => {
    await tokensStore.updatePersonalKey(trx, userId, id, { hash: ctx.hasher.hash(value), mask: maskKey(value), last_rolled_at: now() });
    await audit(trx, p, { action: 'token.roll', objectType: 'token', objectId: id, after: { kind: 'pak' } });
  });
  return { key: await getKey(ctx, p, id), value };
}

export async function deleteKey(ctx: Ctx, p: Principal, ref: KeyRef): Promise<void> {
  checkKeyManagement(p);
  const id = idOf(ref);
  await getKey(ctx, p, id);
  await inTransaction(ctx, async (trx) => {
    if (!(await tokensStore.deletePersonalKey(trx, ownerOf(p), id))) throw notFound('pak.not-found', 'Not found.');
    await audit(trx, p, { action: 'token.revoke', objectType: 'token', objectId: id, before: { kind: 'pak' } });
  });
}

/** A user's keys that can reach an org: unrestricted ones and those limited to a set including it. */
export async function keysReachingOrg(ctx: Ctx, userId: number, orgUuid: string): Promise<PersonalKey[]> {
  const rows = await tokensStore.personalKeysOf(ctx.db, userId);
  return rows.map(toKey).filter((k) => !k.scopedOrgs?.length || k.scopedOrgs.includes(orgUuid));
}
