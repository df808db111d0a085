// Identifier formats: PostHog's time-ordered UUIDs stay unique and well formed across the
// entropy pool's refills (src/domain/ids.ts draws random bytes 4 KB at a time).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UUID_PATTERN, uuidv7 } from '../../src/domain/ids.ts';

describe('uuidv7', () => {
  it('is a version 7, RFC 4122 variant UUID carrying the time, unique over many pool refills', () => {
    const at = Date.UTC(2026, 10, 23, 12, 0, 0);
    const ids = Array.from({ length: 3000 }, () => uuidv7(at));
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) {
      assert.match(id, UUID_PATTERN);
      assert.equal(id[14], '7');
      assert.match(id[19], /[89ab]/);
      assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), at);
    }
  });

  it('orders by creation time', () => {
    const earlier = uuidv7(1_700_000_000_000);
    const later = uuidv7(1_700_000_000_001);
    assert.ok(earlier < later);
  });
});
