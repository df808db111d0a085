// GET /metrics: Prometheus text with request counts by face and route pattern, memo hit rates,
// and prom-client's default process metrics under their standard names.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KIND, startRoster, type TestRoster } from '../helpers/roster.ts';

describe('/metrics', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('counts requests by face, route pattern and status, in the Prometheus text format', async () => {
    await t.request('GET', '/api/org', t.admin);
    await t.request('GET', '/api/org', t.admin);
    await t.request('GET', '/api/orgs/12345', t.admin);
    // Enough short-lived garbage for V8 to run a few scavenges, so the GC histogram has a series.
    for (let i = 0; i < 200; i++) JSON.parse(JSON.stringify(Array.from({ length: 2000 }, (_, n) => ({ n }))));
    await new Promise((r) => setTimeout(r, 50)); // GC entries reach the observer asynchronously
    const r = await t.request('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(r.text, /^roster_http_requests_total\{face="grafana",method="GET",route="\/api\/org",status="200"\} 2$/m);
    // The route pattern, never the raw URL, so the label set stays bounded.
    assert.match(r.text, /route="\/api\/orgs\/:orgId",status="404"\} 1$/m);
    assert.match(r.text, /^roster_http_request_duration_seconds_count\{face="grafana",method="GET",route="\/api\/org"\} 2$/m);
    assert.match(r.text, /^roster_memo_lookups_total\{result="hit"\} \d+$/m);
    assert.match(r.text, /^# TYPE roster_http_request_duration_seconds histogram$/m);
    // prom-client's default metrics, by their standard names (not nodejs_heap_used_bytes).
    assert.match(r.text, /^process_cpu_seconds_total [\d.e+-]+$/m);
    assert.match(r.text, /^process_resident_memory_bytes \d+$/m);
    assert.match(r.text, /^nodejs_gc_duration_seconds_count\{kind="\w+"\} \d+$/m);
    assert.match(r.text, /^process_open_fds \d+$/m);
    assert.match(r.text, /^nodejs_heap_size_used_bytes \d+$/m);
    assert.doesNotMatch(r.text, /^nodejs_heap_used_bytes/m);
    // The pool exists on PostgreSQL only; SQLite leaves the series out rather than report zeros.
    if (DB_KIND === 'postgres') {
      assert.match(r.text, /^roster_db_pool_connections\{state="total"\} [1-9]\d*$/m);
      assert.match(r.text, /^roster_db_pool_waiting \d+$/m);
    } else assert.doesNotMatch(r.text, /roster_db_pool/);
    for (const line of r.text.trim().split('\n').filter(Boolean)) assert.match(line, /^(# (HELP|TYPE) \w+ .+|[a-z_0-9]+(\{[^}]*\})? ([\d.e+-]+|Nan))$/, line); // prom-client writes an empty loop-delay mean as Nan
  });

  it('reports the event-loop delay since the previous scrape, without the sampling interval', async () => {
    const delayMs = async () => {
      const r = await t.request('GET', '/metrics');
      const m = /^roster_event_loop_delay_p99_seconds (\S+)$/m.exec(r.text);
      assert.ok(m, 'roster_event_loop_delay_p99_seconds is exposed');
      return Number(m[1]) * 1000;
    };
    await delayMs(); // starts a new window
    // Node counts a sample from the previous one, and drops the first after a reset: let one pass.
    await new Promise((r) => setTimeout(r, 25));
    // Hold the loop for 80 ms: the timer due meanwhile runs at least 70 ms late, and it is one
    // of the window's few samples, so the p99 cannot be less.
    const until = performance.now() + 80;
    while (performance.now() < until);
    await new Promise((r) => setTimeout(r, 30));
    assert.ok((await delayMs()) >= 70);
  });

  it('labels console pages and assets face="console", API misses by their face', async () => {
    await t.request('GET', '/orgs/3');
    await t.request('GET', '/api/no-such-route', t.admin);
    const r = await t.request('GET', '/metrics');
    assert.match(r.text, /^roster_http_requests_total\{face="console",method="GET",route="unmatched",status="\d+"\} 1$/m);
    assert.match(r.text, /^roster_http_requests_total\{face="grafana",method="GET",route="unmatched",status="404"\} 1$/m);
    assert.doesNotMatch(r.text, /face="grafana",method="GET",route="\/(assets|login|logout)/);
  });

  it("keeps each instance's counts apart (a registry per instance)", async () => {
    const other = await startRoster();
    try {
      await other.request('GET', '/api/org', other.admin);
      const r = await other.request('GET', '/metrics');
      assert.match(r.text, /^roster_http_requests_total\{face="grafana",method="GET",route="\/api\/org",status="200"\} 1$/m);
    } finally {
      await other.close();
    }
  });
});
