// Bulk loader for synthetic data at scale (`roster seed`, benchmarks): multi-row inserts in
// batches inside transactions, explicit ids so memberships can be computed without reading
// rows back, one precomputed password hash for every user (a KDF per row would take hours).
import type { Kysely } from 'kysely';
import { grafanaUid, oncallId, uuidv7 } from '../domain/ids.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/db.ts';
import { insertMemberRows, insertOrgRows, insertUserRows, nextRowId, settleAfterLoad, syncIdSequence } from '../store/bulk-insert.ts';

export interface SeedPlan {
  users: number;
  orgs: number;
  /** Spread evenly: membership m puts user (m mod users) in org ((m mod users) + floor(m / users)) mod orgs. */
  memberships: number;
  /** The one stored hash every seeded user gets (see hashPassword). */
  passwordHash: string;
  /** Called after every batch. */
  onProgress?: (phase: 'orgs' | 'users' | 'memberships', done: number, total: number) => void;
}

export interface SeedResult {
  /** Ids are contiguous: first .. first + count - 1. */
  firstUserId: number;
  firstOrgId: number;
  timingsMs: { orgs: number; users: number; memberships: number };
}

// Rows per INSERT: users have 12 bound columns, so 1,000 rows stay under SQLite's 32,766 and
// PostgreSQL's 65,535 parameters. Batches per transaction: fewer commits (fsyncs), bounded memory.
const ROWS_PER_INSERT = 1000;
const INSERTS_PER_TRANSACTION = 20;

/** Seeded names are derived from ids, so a second seed run adds new rows instead of colliding. */
export const seededLogin = (userId: number) => `seed${userId}`;
export const seededOrgName = (orgId: number) => `Seed Org ${orgId}`;

/** Runs `make(start, count)` for [0, total) in INSERT-sized chunks, a transaction every few chunks. */
async function inBatches<T>(
  store: Store,
  total: number,
  make: (start: number, count: number) => T[],
  insert: (trx: Kysely<Database>, rows: T[]) => Promise<unknown>,
  progress: (done: number) => void,
): Promise<void> {
  const perTx = ROWS_PER_INSERT * INSERTS_PER_TRANSACTION;
  for (let txStart = 0; txStart < total; txStart += perTx) {
    const txEnd = Math.min(total, txStart + perTx);
    await store.db.transaction().execute(async (trx) => {
      for (let s = txStart; s < txEnd; s += ROWS_PER_INSERT) {
        await insert(trx, make(s, Math.min(ROWS_PER_INSERT, txEnd - s)));
      }
    });
    progress(txEnd);
  }
}

export async function bulkSeed(store: Store, plan: SeedPlan): Promise<SeedResult> {
  if (plan.memberships > 0 && (plan.users === 0 || plan.orgs === 0)) throw new Error('memberships need users and orgs');
  if (plan.memberships > plan.users * plan.orgs) throw new Error('more memberships than user/org pairs');
  const firstOrgId = await nextRowId(store.db, 'orgs');
  const firstUserId = await nextRowId(store.db, 'users');
  const ts = new Date().toISOString();
  const longAgo = new Date(Date.now() - 10 * 365.25 * 24 * 3600 * 1000).toISOString();
  const timingsMs = { orgs: 0, users: 0, memberships: 0 };
  const report = (phase: 'orgs' | 'users' | 'memberships', total: number) => (done: number) => plan.onProgress?.(phase, done, total);
  // The org of user k's first membership (its "current org", as Grafana keeps one).
  const homeOrg = (k: number) => (k < plan.memberships ? firstOrgId + (k % plan.orgs) : 0);

  let t = performance.now();
  await inBatches(
    store,
    plan.orgs,
    (start, count) =>
      Array.from({ length: count }, (_, i) => {
        const id = firstOrgId + start + i;
        return { id, public_id: oncallId('O'), uuid: uuidv7(), name: seededOrgName(id), slug: `seed-org-${id}`, created_at: ts, updated_at: ts };
      }),
    insertOrgRows,
    report('orgs', plan.orgs),
  );
  await syncIdSequence(store.db, store.dialect, 'orgs');
  timingsMs.orgs = performance.now() - t;

  t = performance.now();
  await inBatches(
    store,
    plan.users,
    (start, count) =>
      Array.from({ length: count }, (_, i) => {
        const k = start + i;
        const id = firstUserId + k;
        return {
          id,
          uid: grafanaUid(),
          public_id: oncallId('U'),
          uuid: uuidv7(),
          login: seededLogin(id),
          email: `${seededLogin(id)}@example.com`,
          name: `Seed User ${id}`,
          password_hash: plan.passwordHash,
          org_id: homeOrg(k),
          created_at: ts,
          updated_at: ts,
          last_seen_at: longAgo,
        };
      }),
    (trx, rows) => insertUserRows(trx, store.dialect, rows),
    report('users', plan.users),
  );
  await syncIdSequence(store.db, store.dialect, 'users');
  timingsMs.users = performance.now() - t;

  t = performance.now();
  const roles = ['Viewer', 'Editor', 'Viewer', 'Viewer'] as const;
  await inBatches(
    store,
    plan.memberships,
    (start, count) =>
      Array.from({ length: count }, (_, i) => {
        const m = start + i;
        const k = m % plan.users;
        const round = Math.floor(m / plan.users);
        const org = (k + round) % plan.orgs;
        // The first user placed in each org administers and owns it.
        const first = round === 0 && k === org;
        return {
          org_id: firstOrgId + org,
          user_id: firstUserId + k,
          role: first ? 'Admin' : roles[m % roles.length],
          is_owner: first ? (1 as const) : (0 as const),
          uuid: uuidv7(),
          created_at: ts,
          updated_at: ts,
        };
      }),
    insertMemberRows,
    report('memberships', plan.memberships),
  );
  timingsMs.memberships = performance.now() - t;
  await settleAfterLoad(store.db, store.dialect);
  return { firstUserId, firstOrgId, timingsMs };
}

/** Adds existing users to one org in bulk (benchmarks: a big org), skipping the per-row domain checks. */
export async function bulkAddMembers(store: Store, orgId: number, userIds: number[], role: string): Promise<void> {
  const ts = new Date().toISOString();
  await inBatches(
    store,
    userIds.length,
    (start, count) => userIds.slice(start, start + count).map((userId) => ({ org_id: orgId, user_id: userId, role, is_owner: 0 as const, uuid: uuidv7(), created_at: ts, updated_at: ts })),
    insertMemberRows,
    () => {},
  );
}
