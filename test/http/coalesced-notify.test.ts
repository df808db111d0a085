// The PostgreSQL invalidation bus sends one NOTIFY at a time (pg refuses overlapping queries on
// one client from pg 9): callers meanwhile share the next one, which starts after they asked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coalesced } from '../../src/http/memo/invalidation.ts';

describe('coalesced publish', () => {
  it('never overlaps sends, and every caller is answered by a send that began after it asked', async () => {
    let onWire = 0;
    let maxOnWire = 0;
    const starts: number[] = [];
    let clock = 0;
    const publish = coalesced(async () => {
      starts.push(++clock);
      onWire++;
      maxOnWire = Math.max(maxOnWire, onWire);
      await new Promise((r) => setTimeout(r, 5));
      onWire--;
    });
    const asked: Promise<void>[] = [];
    const checks: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      const at = ++clock;
      const p = publish();
      asked.push(p);
      // The send that answers this caller started after `at`.
      checks.push(
        p.then(() =>
          assert.ok(
            starts.some((s) => s > at),
            `caller ${i} answered by a later send`,
          ),
        ),
      );
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 3));
    }
    await Promise.all(checks);
    assert.equal(maxOnWire, 1);
    assert.ok(starts.length < 20, `coalesced: ${starts.length} sends for 20 calls`);
  });

  it('goes on after a failed send', async () => {
    let calls = 0;
    const publish = coalesced(async () => {
      calls++;
      if (calls === 1) throw new Error('down');
    });
    const first = publish();
    const second = publish();
    await assert.rejects(first);
    await second;
    assert.equal(calls, 2);
  });
});
