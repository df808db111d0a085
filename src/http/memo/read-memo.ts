// Domain reads that read-only routes serve on every poll (the current org of GET /api/org),
// memoized under the rules of every memo (expiring-memo.ts): dropped after every write, at most
// TTL_MS old. A route that uses it names what it reads in the key.
import { ExpiringMemo } from './expiring-memo.ts';
import type { Maybe } from '../maybe.ts';

export class ReadMemo {
  readonly memo: ExpiringMemo;
  constructor(enabled = true) {
    this.memo = new ExpiringMemo(undefined, undefined, enabled);
  }

  /** `load()`'s result, read once per key until the next write; "not found" is never kept. */
  read<T>(key: string, load: () => Promise<T>): Maybe<T> {
    return this.memo.through(key, load) as Maybe<T>;
  }

  invalidate(): void {
    this.memo.invalidate();
  }
}
