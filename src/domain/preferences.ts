// Grafana preferences of an org, a user or a team: PUT replaces, PATCH merges. A user's
// timezone lives in the user row, shared with OnCall's `timezone`.
import { authorize, requireSelf } from './policy/index.ts';
import { audit } from './audit.ts';
import { inTransaction, type Ctx } from './context.ts';
import { invalid, notFound } from './errors.ts';
import type { Principal } from './principal.ts';
import { limitLength, type LimitedField } from './limits.ts';
import { readPreferences, writePreferences } from '../store/preferences.ts';
import { timezoneOf, updateUser } from '../store/users.ts';

export type Prefs = Record<string, unknown>;
type StoredOwner = { kind: 'org'; id: number } | { kind: 'user'; id: number } | { kind: 'team'; id: number; orgId: number };
/** Whose preferences: an org's, a team's, or the caller's own (`self`). */
export type PrefsOwner = Exclude<StoredOwner, { kind: 'user' }> | { kind: 'self' };

const THEMES = new Set(['', 'light', 'dark', 'system']);
const TABLE = { org: 'orgs', user: 'users', team: 'teams' } as const;

function parse(json: string): Prefs {
  try {
    return JSON.parse(json) ?? {};
  } catch {
    return {};
  }
}

/** Only set fields are returned (Grafana 9+ omitempty). */
function present(prefs: Prefs): Prefs {
  return Object.fromEntries(Object.entries(prefs).filter(([, v]) => v !== '' && v !== 0 && v !== null && v !== undefined));
}

async function authorizePrefs(ctx: Ctx, p: Principal, owner: PrefsOwner, write: boolean): Promise<StoredOwner> {
  if (owner.kind === 'self') return { kind: 'user', id: requireSelf(p, write ? 'user.self:write' : 'user.self:read') };
  if (owner.kind === 'org') await authorize(ctx, p, write ? 'orgs.preferences:write' : 'orgs.preferences:read', owner.id);
  if (owner.kind === 'team') await authorize(ctx, p, write ? 'teams:write' : 'teams:read', owner.orgId);
  return owner;
}

export async function getPreferences(ctx: Ctx, p: Principal, ref: PrefsOwner): Promise<Prefs> {
  const owner = await authorizePrefs(ctx, p, ref, false);
  const stored = await readPreferences(ctx.db, TABLE[owner.kind], owner.id);
  if (stored === undefined) throw notFound('prefs.owner-not-found', 'Not found');
  const prefs = parse(stored);
  if (owner.kind === 'user') {
    const timezone = await timezoneOf(ctx.db, owner.id);
    if (timezone) prefs.timezone = timezone;
    else delete prefs.timezone;
  }
  return present(prefs);
}

export async function savePreferences(ctx: Ctx, p: Principal, ref: PrefsOwner, input: Prefs, mode: 'replace' | 'merge'): Promise<void> {
  const owner = await authorizePrefs(ctx, p, ref, true);
  if (input.theme !== undefined && !THEMES.has(String(input.theme))) throw invalid('prefs.theme', 'Invalid theme');
  limitPreferences(input);
  await inTransaction(ctx, async (trx) => {
    const stored = await readPreferences(trx, TABLE[owner.kind], owner.id);
    if (stored === undefined) throw notFound('prefs.owner-not-found', 'Not found');
    const next = mode === 'replace' ? { ...input } : { ...parse(stored), ...input };
    if (owner.kind === 'user') {
      const tz = next.timezone;
      delete next.timezone;
      if (mode === 'replace' || input.timezone !== undefined) {
        await updateUser(trx, owner.id, { timezone: typeof tz === 'string' && tz ? tz : null });
      }
    }
    await writePreferences(trx, TABLE[owner.kind], owner.id, JSON.stringify(next));
    await audit(trx, p, {
      action: `${owner.kind}.preferences.update`,
      objectType: 'preferences',
      objectId: `${owner.kind}:${owner.id}`,
      orgId: owner.kind === 'org' ? owner.id : owner.kind === 'team' ? owner.orgId : null,
      before: parse(stored),
      after: input,
    });
  });
}

const PREF_LIMITS: Record<string, LimitedField> = { timezone: 'prefs.timezone', weekStart: 'prefs.weekStart', homeDashboardUID: 'prefs.homeDashboardUID' };

/** Each named preference within its column's length, any other string within a short bound, the whole within Grafana's JSON column. */
function limitPreferences(input: Prefs): void {
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string') limitLength(PREF_LIMITS[key] ?? 'prefs.text', value, key);
  }
  limitLength('prefs.json', JSON.stringify(input), 'preferences');
}
