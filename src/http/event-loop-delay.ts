// roster_event_loop_delay_p99_seconds: how late the event loop ran a timer, p99 since the
// previous scrape. prom-client's nodejs_eventloop_lag_p99_seconds reads the same kind of
// histogram but reports the whole timer interval (its 10 ms sampling included, so an idle
// process shows 10 ms): this series subtracts the interval, so 0 means no waiting at all.
// Each scrape starts a new window, as prom-client's does: `npm run bench` scrapes before and
// after every run to read the run alone (bench/event-loop.mjs).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/** Milliseconds between two samples of the loop; prom-client's default precision too. */
export const LOOP_SAMPLE_MS = 10;

export function eventLoopDelayGauge(registry: Registry): void {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  histogram.enable();
  new Gauge({
    name: 'roster_event_loop_delay_p99_seconds',
    help: `p99 of how late the event loop ran a timer due every ${LOOP_SAMPLE_MS} ms, since the previous scrape.`,
    registers: [registry],
    collect() {
      // No sample yet (two scrapes within one interval): nothing was late.
      const p99Ms = histogram.count ? histogram.percentile(99) / 1e6 : LOOP_SAMPLE_MS;
      this.set(Math.max(0, p99Ms - LOOP_SAMPLE_MS) / 1000);
      histogram.reset();
    },
  });
}
