// The Roster process's event-loop delay during a wrk run, read from its /metrics:
// roster_event_loop_delay_p99_seconds (src/http/event-loop-delay.ts) is the p99 of how late the
// loop ran a timer since the previous scrape, and each scrape starts a new window. A scrape just
// before a run starts the window, one just after reads the run's p99. With `--workers N` each
// scrape is answered by one worker: the figure is that worker's.

/** Milliseconds: the p99 event-loop delay since the previous scrape of `baseUrl`/metrics. */
export async function eventLoopDelayP99(baseUrl) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const m = /^roster_event_loop_delay_p99_seconds (\S+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : NaN;
}
