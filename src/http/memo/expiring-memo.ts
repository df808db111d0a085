// A short-lived, per-process key-value memo that every write drops: the building block of the
// credential memo (http/auth.ts), the domain read memo, the response memo and the listing memo.
//
// Why what it holds stays correct:
// - Every write request handled by this process drops it once its handler has run
//   (memo/after-write.ts, before the response goes out), so a caller who revoked a token,
//   disabled a user or changed a role sees the change on its very next request.
// - A lookup that started before such a drop cannot store what it read (generation check).
// - Writes by another Roster process drop it at once too (memo/invalidation.ts: LISTEN/NOTIFY,
//   or cluster IPC); anything else (`roster admin`, a lost message) within its lifetime.
// - Only successful lookups are memoized (undefined, "not found", never is): for credentials,
//   failures are never cached, so brute force still pays a KDF per guess.
// - Built disabled (ROSTER_MEMO=off), it holds nothing: every lookup goes to the database.

import type { Maybe } from '../maybe.ts';

export const TTL_MS = 1000;

interface Entry {
  value: unknown;
  expires: number;
  generation: number;
}

export class ExpiringMemo {
  private entries = new Map<string, Entry>();
  /** Loads under way, by key: joined by concurrent misses of the same generation. */
  private loading = new Map<string, { value: Promise<unknown>; generation: number }>();
  private gen = 0;
  /** For /metrics. */
  readonly stats = { hits: 0, misses: 0 };
  constructor(
    private readonly ttlMs = TTL_MS,
    private readonly max = 10_000,
    /** False: holds nothing (ROSTER_MEMO=off, config.ts), so every lookup loads. */
    readonly enabled = true,
  ) {}

  /** Take before a lookup; pass to set() so a lookup overtaken by a write is not stored. */
  generation(): number {
    return this.gen;
  }

  get<T>(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.generation !== this.gen || e.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value as T;
  }

  set(key: string, value: unknown, generation: number): void {
    if (!this.enabled || generation !== this.gen) return;
    // Full: the oldest entry goes (a Map iterates in insertion order), not all of them: clearing
    // would send fifty paging loops back to deep offset reads at the same moment.
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs, generation });
  }

  /**
   * Memoizes `load` under `key`; undefined results (not found) are not stored. Concurrent misses
   * of one key share the first one's load (a million-row count is not run fifty times at once).
   */
  through<T>(key: string, load: () => Promise<T | undefined>): Maybe<T | undefined> {
    const hit = this.get<T>(key);
    if (hit !== undefined) {
      this.stats.hits++;
      return hit; // at hand: no promise
    }
    this.stats.misses++;
    // Disabled: not even concurrent misses share a load, so each request reads the database.
    if (!this.enabled) return load();
    return this.load(key, load);
  }

  private async load<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const generation = this.gen;
    const running = this.loading.get(key);
    if (running?.generation === generation) return running.value as Promise<T | undefined>;
    const value = load();
    this.loading.set(key, { value, generation });
    try {
      const loaded = await value;
      if (loaded !== undefined) this.set(key, loaded, generation);
      return loaded;
    } finally {
      if (this.loading.get(key)?.value === value) this.loading.delete(key);
    }
  }

  invalidate(): void {
    this.gen++;
    this.entries.clear();
  }
}
